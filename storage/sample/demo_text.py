"""The words demo data is made of: company and person names in several scripts (Latin with
diacritics, Cyrillic, Greek, CJK, Arabic and Hebrew), roles, cities and note sentences.

Pure data; ``storage.sample.demo`` combines it with a seeded random generator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    """Names that belong together: a company is ``pattern.format(name=..., city=...)``."""

    key: str
    weight: int
    company_names: tuple[str, ...]
    patterns: tuple[str, ...]
    cities: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    phone_prefix: str
    sentences: tuple[str, ...] = ()


SCRIPTS = (
    Script(
        "latin",
        10,
        (
            "Müller",
            "Łukasiewicz",
            "Ærøskøbing",
            "Nguyễn",
            "Šimková",
            "Çelik",
            "Ferreira",
            "Øster",
            "Dvořák",
            "Gómez",
            "Lefèvre",
            "Jørgensen",
            "Kovačević",
            "Ó Briain",
            "Szabó",
            "Weiß",
        ),
        (
            "{name} & Söhne GmbH",
            "{name} Sp. z o.o.",
            "{name} ApS",
            "Café {name} S.L.",
            "{name} s.r.o.",
            "{name} İnşaat A.Ş.",
            "{name} Lda.",
            "{name} Handel AB",
            "Atelier {name} SARL",
            "{name} Logistics Ltd",
            "{name} & Partner KG",
            "Brasserie {name}",
        ),
        (
            "Köln",
            "Kraków",
            "Århus",
            "Hà Nội",
            "Brno",
            "İzmir",
            "Porto",
            "Malmö",
            "Zürich",
            "Sevilla",
            "Besançon",
            "Győr",
            "Reykjavík",
        ),
        (
            "Jürgen",
            "Zoë",
            "Łucja",
            "Søren",
            "Thảo",
            "Jiří",
            "Ayşe",
            "João",
            "Émilie",
            "Björn",
            "Siobhán",
            "Ignacio",
            "Małgorzata",
            "Ása",
        ),
        (
            "Schäfer",
            "Wójcik",
            "Nørgaard",
            "Trần",
            "Novák",
            "Yılmaz",
            "Gonçalves",
            "Dubois",
            "Åberg",
            "Núñez",
            "Horváth",
            "Þórsdóttir",
        ),
        "+49 ",
        (
            "Rückruf wegen Liefertermin vereinbart.",
            "Le client demande un devis détaillé.",
            "Prefieren pago a 30 días.",
            "Zamówienie potwierdzone telefonicznie.",
        ),
    ),
    Script(
        "cyrillic",
        3,
        ("Сибирь", "Восток", "Северсталь-Трейд", "Ромашка", "Байкал", "Горизонт", "Днепр", "Вега"),
        ("ООО «{name}»", "АО «{name}»", "ТОВ «{name}»", "{name} и партнёры", "ИП {name}"),
        ("Москва", "Новосибирск", "Київ", "Минск", "Казань", "София"),
        ("Дмитрий", "Ольга", "Сергей", "Наталья", "Алексей", "Ирина", "Богдан", "Світлана"),
        ("Иванов", "Петрова", "Смирнов", "Кузнецова", "Шевченко", "Попов"),
        "+7 ",
        ("Клиент просит перезвонить после обеда.", "Отправили коммерческое предложение.", "Обсудили условия поставки."),
    ),
    Script(
        "greek",
        2,
        ("Αθηναϊκή", "Ολυμπία", "Αιγαίο", "Κρήτη", "Ερμής", "Δελφοί"),
        ("{name} Εμπορική Α.Ε.", "{name} Ο.Ε.", "Εταιρεία {name} Ε.Π.Ε."),
        ("Αθήνα", "Θεσσαλονίκη", "Ηράκλειο", "Πάτρα"),
        ("Ελένη", "Γιώργος", "Μαρία", "Νίκος", "Σοφία", "Δημήτρης"),
        ("Παπαδοπούλου", "Οικονόμου", "Γεωργίου", "Καραγιάννης"),
        "+30 ",
        ("Ο πελάτης ζήτησε νέα προσφορά.", "Συζητήσαμε την παράδοση."),
    ),
    Script(
        "cjk",
        3,
        ("山田商店", "华信科技", "東京精機", "삼성물산", "长城贸易", "大和製作所", "한빛전자", "富士物産"),
        ("株式会社{name}", "{name}有限公司", "{name}株式会社", "(주){name}", "{name}"),
        ("東京", "大阪", "北京", "上海", "서울", "부산", "台北"),
        ("太郎", "花子", "伟", "秀英", "민준", "서연", "健一", "美咲"),
        ("山田", "佐藤", "王", "李", "김", "박", "田中", "陈"),
        "+81 ",
        ("見積書を送付しました。", "客户要求下周回电。", "다음 주에 방문 예정입니다."),
    ),
    Script(
        "rtl",
        2,
        ("النور", "الأمل", "الشرق", "אור", "גליל", "כרמל", "الريان", "ים המלח"),
        ("شركة {name} للتجارة", "مؤسسة {name}", "{name} בע״מ", "חברת {name}"),
        ("القاهرة", "عمّان", "دبي", "תל אביב", "חיפה", "ירושלים"),
        ("فاطمة", "محمد", "ليلى", "يوسف", "נועה", "אבי", "תמר", "עומר"),
        ("الحسن", "العلي", "منصور", "כהן", "לוי", "מזרחי"),
        "+972 ",
        ("العميل يطلب عرض سعر جديد.", "הלקוח ביקש הצעת מחיר מעודכנת.", "נקבעה פגישה בשבוע הבא."),
    ),
)

# Employees besides the current login: (login, display name).
EMPLOYEES = (
    ("anna", "Anna Kowalska"),
    ("bruno", "Bruno Ferreira"),
    ("chen.wei", "陈伟"),
    ("dmitri", "Дмитрий Соколов"),
    ("eleni", "Ελένη Παπαδοπούλου"),
    ("fatima", "فاطمة الزهراء"),
    ("yossi", "יוסי כהן"),
)

ROLES = (
    "Purchasing",
    "CEO",
    "Accounts payable",
    "Office manager",
    "Head of IT",
    "Sales",
    "Owner",
    "Logistics",
    "Technician",
    "",
)

# One-line notes; {n} is a quantity, {ref} a reference number, {who} a first name.
LINES = (
    "Called about the open quote; {who} will decide by Friday.",
    "Sent the price list and the updated terms.",
    "{who} asked for a discount on {n} units.",
    "Left a voicemail, no answer.",
    "Complaint about late delivery of order {ref}; promised an answer tomorrow.",
    "Quote ref [Q-{ref}] sent by email.",
    "Payment reminder for invoice {ref} — they say it was paid last week.",
    "Demo went well; they want a trial for {n} users.",
    "Visited the site, measured the warehouse: {n} m².",
    "{who} is on holiday until next month.",
    "Confirmed the order, delivery in {n} days.",
    "Support call: the device shows error E{ref} after the update.",
    "Contract renewal discussed; budget 50/50 between two departments.",
    "New contact person: {who} replaces the former buyer.",
    "They compare us with a competitor at 12 % lower price.",
)

PARAGRAPH_SENTENCES = (
    "The customer is generally happy with the service but expects faster answers to support requests.",
    "We went through the proposal line by line; the freight costs were the main concern.",
    "{who} needs approval from the board, which meets on the first Monday of the month.",
    "They currently order about {n} units a quarter and could double that next year.",
    "Technical questions about the interface were forwarded to the engineering team.",
    "Agreed to send a revised offer with staggered prices and a longer warranty.",
    "Their warehouse moves in spring, so deliveries must be planned around the move.",
    "A reference visit at another customer would help them decide.",
)
