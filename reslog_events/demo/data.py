"""The demo data set's directory: its users, RESLOG's unions and pilot municipalities, partners
in Sweden and Lebanon, NGOs, people of every role and language, and the results' pilot list and
targets. Its events, before and after today, are in `event_data`.

Names of people are invented; addresses use the reserved `.example` domain, phone numbers are
unassigned.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "reslog-demo"  # noqa: S105 - published in the README for trials

#: (email, role, name, interface language)
USERS = (
    ("admin@reslog.example", "admin", "Selin Aydemir", "tr"),
    ("organiser@reslog.example", "organiser", "Emre Kaplan", "tr"),
    ("staff@reslog.example", "staff", "Gizem Yurt", "tr"),
    ("coordinator@reslog.example", "coordinator", "Karin Holm", "en"),
)


@dataclass(frozen=True)
class Org:
    key: str  #: short code, also the key contacts and events refer to
    name: str
    kind: str
    country: str = "TR"
    province: str | None = None
    district: str | None = None
    unions: tuple[str, ...] = ()


UNION, MUN, NGO, PUBLIC = "union", "municipality", "ngo", "public_institution"
IN_MBB, IN_CBB = ("TBB", "MBB"), ("TBB", "CBB")

ORGANISATIONS = (
    # Unions of municipalities
    Org("TBB", "Türkiye Belediyeler Birliği", UNION, "TR", "Ankara", "Çankaya"),
    Org("MBB", "Marmara Belediyeler Birliği", UNION, "TR", "İstanbul", "Fatih"),
    Org("CBB", "Çukurova Belediyeler Birliği", UNION, "TR", "Adana", "Seyhan"),
    Org("SKR", "Sveriges Kommuner och Regioner (SALAR)", UNION, "SE", "Stockholms län"),
    Org("UTM", "Union of Tyre Municipalities", UNION, "LB", "Al Janūb", "Tyre"),
    # The twelve RESLOG pilot municipalities
    Org("SULTANBEYLI", "Sultanbeyli Belediyesi", MUN, "TR", "İstanbul", "Sultanbeyli", IN_MBB),
    Org("ZEYTINBURNU", "Zeytinburnu Belediyesi", MUN, "TR", "İstanbul", "Zeytinburnu", IN_MBB),
    Org("SISLI", "Şişli Belediyesi", MUN, "TR", "İstanbul", "Şişli", IN_MBB),
    Org("BURSA-BB", "Bursa Büyükşehir Belediyesi", MUN, "TR", "Bursa", None, IN_MBB),
    Org("ORHANGAZI", "Orhangazi Belediyesi", MUN, "TR", "Bursa", "Orhangazi", IN_MBB),
    Org("OSMANGAZI", "Osmangazi Belediyesi", MUN, "TR", "Bursa", "Osmangazi", IN_MBB),
    Org("ADANA-BB", "Adana Büyükşehir Belediyesi", MUN, "TR", "Adana", None, IN_CBB),
    Org("SARICAM", "Sarıçam Belediyesi", MUN, "TR", "Adana", "Sarıçam", IN_CBB),
    Org("SEYHAN", "Seyhan Belediyesi", MUN, "TR", "Adana", "Seyhan", IN_CBB),
    Org("HATAY-BB", "Hatay Büyükşehir Belediyesi", MUN, "TR", "Hatay", None, IN_CBB),
    Org("REYHANLI", "Reyhanlı Belediyesi", MUN, "TR", "Hatay", "Reyhanlı", IN_CBB),
    Org("MEZITLI", "Mezitli Belediyesi", MUN, "TR", "Mersin", "Mezitli", IN_CBB),
    # Partners abroad
    Org("BOTKYRKA", "Botkyrka kommun", MUN, "SE", "Stockholms län", "Botkyrka", ("SKR",)),
    Org("TYRE", "Tyre Municipality", MUN, "LB", "Al Janūb", "Tyre", ("UTM",)),
    Org("SKLI", "SKL International", "international", "SE", "Stockholms län", "Stockholm"),
    # Civil society (a refugee-community association among them), institutions, academia
    Org("STDD", "Suriyeli Topluluk Dayanışma Derneği", NGO, "TR", "İstanbul", "Sultanbeyli"),
    Org("HDD", "Hayata Destek Derneği", NGO, "TR", "İstanbul", "Beşiktaş"),
    Org("GAR", "Göç Araştırmaları Derneği", NGO, "TR", "İstanbul", "Beyoğlu"),
    Org("PMM", "Göç İdaresi Başkanlığı", PUBLIC, "TR", "Ankara", "Çankaya"),
    Org(
        "HUGO",
        "Hacettepe Üniversitesi Göç ve Siyaset Araştırmaları Merkezi",
        PUBLIC,
        "TR",
        "Ankara",
        "Çankaya",
    ),
)

#: the twelve RESLOG pilot municipalities: the results' pilot list
PILOT_MUNICIPALITIES = (
    "SULTANBEYLI",
    "ZEYTINBURNU",
    "SISLI",
    "BURSA-BB",
    "ORHANGAZI",
    "OSMANGAZI",
    "ADANA-BB",
    "SARICAM",
    "SEYHAN",
    "HATAY-BB",
    "REYHANLI",
    "MEZITLI",
)
#: the programme's targets for a calendar year, per results indicator
YEAR_TARGETS = {
    "pilot_municipalities": 12,
    "share_women": 45,
    "share_refugee_community": 15,
    "repeat_participants": 40,
    "unions_reached": 3,
    "provinces_reached": 6,
}

ELECTED, STAFF, CIVIL, REFUGEE = (
    "elected_official",
    "municipal_staff",
    "civil_society",
    ("refugee_community"),
)
ACADEMIC, PARTNER, OTHER = "academic", "international_partner", "other"
F, M = "female", "male"

#: (full name, organisation key, position, role category, gender, language[, email name]).
#: The address is <email name>@<organisation key>.example; the email name defaults to the
#: accent-free name ("Ayşe Çelik" → ayse.celik).
CONTACTS = (
    ("Hüseyin Keskin", "SULTANBEYLI", "Belediye Başkan Yardımcısı", ELECTED, M, "tr"),
    ("Elif Şahin", "SULTANBEYLI", "Göç Ofisi Müdürü", STAFF, F, "tr"),
    ("Murat Aydın", "ZEYTINBURNU", "Meclis Üyesi", ELECTED, M, "tr"),
    ("Zeynep Kaya", "ZEYTINBURNU", "Sosyal Hizmet Uzmanı", STAFF, F, "tr"),
    ("Ayşe Çelik", "SISLI", "Belediye Başkan Yardımcısı", ELECTED, F, "tr"),
    ("İbrahim Öztürk", "SISLI", "Strateji Geliştirme Uzmanı", STAFF, M, "en"),
    ("Gülşen Arslan", "BURSA-BB", "Dış İlişkiler Şube Müdürü", STAFF, F, "en"),
    ("Mehmet Doğan", "BURSA-BB", "Meclis Üyesi", ELECTED, M, "tr"),
    ("Serkan Yıldız", "ORHANGAZI", "Sosyal Destek Birimi Sorumlusu", STAFF, M, "tr"),
    ("Hatice Koç", "OSMANGAZI", "Sosyal Uyum Koordinatörü", STAFF, F, "tr"),
    ("Kemal Özdemir", "ADANA-BB", "Genel Sekreter Yardımcısı", STAFF, M, "tr"),
    ("Fatma Aksoy", "ADANA-BB", "Meclis Üyesi", ELECTED, F, "tr"),
    ("Ömer Polat", "SARICAM", "Başkan Danışmanı", STAFF, M, "tr"),
    ("Derya Güneş", "SEYHAN", "Göç Masası Sorumlusu", STAFF, F, "tr"),
    ("Ramazan Kılıç", "HATAY-BB", "Meclis Üyesi", ELECTED, M, "tr"),
    ("Nur Erdem", "HATAY-BB", "Afet ve Dayanıklılık Uzmanı", STAFF, F, "en"),
    ("Halil Yavuz", "REYHANLI", "Tercüman ve Saha Görevlisi", STAFF, M, "ar"),
    ("Sevgi Tekin", "MEZITLI", "Meclis Üyesi", ELECTED, F, "tr"),
    ("Burak Ersoy", "TBB", "RESLOG Proje Koordinatörü", STAFF, M, "tr"),
    ("Cansu Demir", "MBB", "Uluslararası İlişkiler Uzmanı", STAFF, F, "en"),
    ("Tolga Şimşek", "CBB", "Genel Sekreter", STAFF, M, "tr"),
    ("Anna Lindqvist", "SKR", "Internationell rådgivare", PARTNER, F, "sv"),
    ("Erik Johansson", "SKR", "Senior Advisor, Local Democracy", PARTNER, M, "en"),
    ("Sara Nilsson", "BOTKYRKA", "Integrationsstrateg", PARTNER, F, "sv"),
    ("Johan Berg", "BOTKYRKA", "Kommunalråd", ELECTED, M, "sv"),
    ("Amina Hassan", "BOTKYRKA", "Samhällsvägledare", STAFF, F, "sv"),
    ("Maria Andersson", "SKLI", "RESLOG Programme Manager", PARTNER, F, "en"),
    ("Lars Eriksson", "SKLI", "Programhandläggare", PARTNER, M, "sv"),
    ("رامي حيدر", "UTM", "رئيس المكتب الفني الإقليمي", PARTNER, M, "ar", "rami.haidar"),
    ("Layla Mansour", "UTM", "Social Development Officer", PARTNER, F, "en"),
    ("خليل سعد", "TYRE", "عضو المجلس البلدي", ELECTED, M, "ar", "khalil.saad"),
    ("محمد الأحمد", "STDD", "رئيس الجمعية", REFUGEE, M, "ar", "mohammad.alahmad"),
    ("Rasha Haddad", "STDD", "Kadın Komitesi Sorumlusu", REFUGEE, F, "ar"),
    ("Yusuf Hamdan", "STDD", "Gençlik Gönüllüsü", REFUGEE, M, "tr"),
    ("Nour Al-Hussein", "STDD", "Community Outreach", REFUGEE, F, "en"),
    ("Deniz Yılmaz", "HDD", "Koruma Programı Sorumlusu", CIVIL, "other", "tr"),
    ("Ece Karaca", "HDD", "Advocacy Officer", CIVIL, F, "en"),
    ("Onur Başaran", "GAR", "Yönetim Kurulu Üyesi", CIVIL, "undisclosed", "tr"),
    ("Ahmet Uçar", "PMM", "Uyum Uzmanı", OTHER, M, "tr"),
    ("Can Erdoğan", "HUGO", "Profesör, Merkez Müdürü", ACADEMIC, M, "tr"),
    ("Merve Kalkan", "HUGO", "Araştırmacı", ACADEMIC, F, "en"),
    ("Leyla Sarı", None, "Serbest tercüman (Arapça–Türkçe)", OTHER, F, "ar"),
)
