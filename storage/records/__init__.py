"""The records users edit: customers and contacts, conversations, bookings, employees, drafts, the
maintained pick lists, and the queries the screens' lists are paged from."""
