"""The demo: an organisation, an admin, an open campaign with meals and notes. Re-runnable."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from .. import links
from ..extensions import db
from ..models import Campaign, Meal, MealStatus, Organisation, Place, Role, TargetGroup
from . import campaigns as campaign_service
from . import meals as meal_service
from . import notes as note_service
from . import users as user_service

ORG_NAME = "Demo kommune"
ORG_SLUG = "demo-kommune"
ADMIN_EMAIL = "demo@gjestebud.example"
CAMPAIGN_SLUG = "demo"
PLACES = ["Askim", "Mysen", "Spydeberg", "Skjønhaug", "Tomter", "Drammen sentrum", "Svelvik"]
TARGET_GROUPS = [
    "pensjonister", "språkkafé", "barselgruppe", "studenter", "lag og foreninger", "barn og unge",
]


@dataclass(frozen=True)
class DemoMeal:
    key: str
    place: str
    group: str
    days_from_today: int
    # (question position, text, language) — written like real post-its: short and varied.
    notes: tuple[tuple[int, str, str], ...]
    held: tuple[int, str] | None = None  # (guests, summary) for a meal that has been held


DEMO_MEALS = (
    DemoMeal(
        "askim-pensjonister", "Askim", "pensjonister", -10,
        (
            (1, "Turstiene langs Glomma. Jeg går der hver morgen.", "nb"),
            (1, "At alt er i nærheten – butikk, lege og apotek.", "nb"),
            (1, "Roen. Man hører fuglene om kvelden.", "nb"),
            (1, "Naboene mine, vi passer på hverandre.", "nb"),
            (2, "Hjelp med BankID og mobilen. Barnebarna bor så langt unna.", "nb"),
            (2, "Lesesirkel på dagtid, gjerne med kaffe.", "nb"),
            (2, "Noen som kan vise meg hvordan jeg søker om ting hos kommunen på nett.", "nb"),
            (2, "Lydbøker og bøker med stor skrift.", "nb"),
            (3, "En benk å hvile på mellom sentrum og sykehjemmet.", "nb"),
            (3, "Et sted der gamle og unge kan møtes, kanskje med strikking og leksehjelp.", "nb"),
            (3, "vet ikke", "nb"),
        ),
        held=(9, "Ni pensjonister rundt bordet. Mye prat om digital hjelp, og om hvor godt det "
                 "er å bo nær butikk og lege."),
    ),
    DemoMeal(
        "mysen-sprakkafe", "Mysen", "språkkafé", -3,
        (
            (1, "I like the forest and the lake. It is very quiet here.", "en"),
            (1, "Folk er hyggelige. Jeg liker biblioteket.", "nb"),
            (1, "Bussen går til Oslo. Det er lett å reise.", "nb"),
            (2, "More Norwegian conversation groups, also in the evening after work.", "en"),
            (2, "Hjelp til å skrive CV og søknad.", "nb"),
            (2, "Hjelp med skjemaer fra NAV og Skatteetaten.", "nb"),
            (2, "Bøker på arabisk og tigrinja for barna.", "nb"),
            (3, "A place where we can cook food from our countries together.", "en"),
            (3, "Gratis norskkurs for alle, også om kvelden.", "nb"),
        ),
    ),
    DemoMeal(
        "svelvik-barn-og-unge", "Svelvik", "barn og unge", -1,
        (
            (1, "fotballbanen og at vi kan bade på sommern", "nb"),
            (1, "jeg liker skogen bak skolen der vi bygger hytte", "nb"),
            (1, "At alle vennene mine bor nære", "nb"),
            (2, "leksehjelp etter skolen plis", "nb"),
            (2, "bibloteket kan ha spillkveld med brettspill og switch", "nb"),
            (2, "at det er åpent på lørdag og søndag", "nb"),
            (3, "ET GAMINGROM I SVELVIK!!!", "nb"),
            (3, "et gaming rom med pcer og e-sport lag", "nb"),
            (3, "skatepark og en plass å henge når det regner", "nb"),
            (3, "et sjøbad med stupebrett", "nb"),
        ),
    ),
    DemoMeal(
        "tomter-lag-og-foreninger", "Tomter", "lag og foreninger", -2,
        (
            (1, "Dugnadsånden. Her stiller folk opp.", "nb"),
            (1, "Kort veg til skogen og skiløypene.", "nn"),
            (1, "Gode lokaler for korps og idrettslag.", "nb"),
            (2, "Møterom som lag og foreninger kan låne gratis om kvelden.", "nb"),
            (2, "Ei oppslagstavle for alt som skjer i bygda.", "nn"),
            (2, "Hjelp til å søke om tilskudd og fylle ut skjema.", "nb"),
            (3, "En kafé i Tomter! Et sted å ta en kopp kaffe etter trening.", "nb"),
            (3, "Eit samlingshus med kafé, bibliotek og plass til konsertar.", "nn"),
            (3, "Gatelys langs veien til stasjonen.", "nb"),
        ),
    ),
    DemoMeal(
        "spydeberg-barselgruppe", "Spydeberg", "barselgruppe", -5,
        (
            (1, "Lekeplassene, og at det er trygt å gå med vogn.", "nb"),
            (1, "Helsestasjonen er like ved, og det er gratis parkering.", "nb"),
            (1, "Stille og fredelig, men likevel kort vei til Oslo med toget.", "nb"),
            (2, "Babysang og eventyrstund på biblioteket.", "nb"),
            (2, "Et stellebord og et rolig sted å amme på biblioteket.", "nb"),
            (2, "En byttehylle for babyklær og utstyr!", "nb"),
            (3, "En innendørs lekeplass for regnværsdager.", "nb"),
            (3, "En kafé der det er plass til barnevogner.", "nb"),
        ),
    ),
    DemoMeal(
        "drammen-studenter", "Drammen sentrum", "studenter", -6,
        (
            (1, "Elva og gangbrua. Fint å gå langs elva om kvelden.", "nb"),
            (1, "Alt er i gangavstand, og toget går ofte.", "nb"),
            (1, "Eg likar at det er mange kafear og folk i sentrum.", "nn"),
            (2, "Lengre åpningstider i eksamensperioden, gjerne til midnatt.", "nb"),
            (2, "Stille lesesalsplasser med strømuttak.", "nb"),
            (2, "Meir arrangement for studentar, til dømes debattar og quiz.", "nn"),
            (2, "Printing and scanning that works without a Norwegian ID number.", "en"),
            (3, "Et billig studenthus med konserter og kafé.", "nb"),
            (3, "Gratis treningsapparater ute langs elva.", "nb"),
        ),
    ),
    # Coming up: registered, no notes yet.
    DemoMeal("skjonhaug-pensjonister", "Skjønhaug", "pensjonister", 4, ()),
)


@dataclass
class SeededMeal:
    place: str
    group: str
    guest_url: str
    host_url: str


@dataclass
class DemoResult:
    login_url: str
    email: str
    password: str
    campaign: Campaign
    meals: list[SeededMeal] = field(default_factory=list)
    notes_created: int = 0


def seed_demo(today: date | None = None) -> DemoResult:
    """Create or refresh the demo; returns what to print. The caller commits."""
    today = today or date.today()
    org = _organisation()
    password = secrets.token_urlsafe(12)
    _admin(org, password)
    campaign = _campaign(org, today)
    result = DemoResult(
        login_url=links.staff_login_url(), email=ADMIN_EMAIL, password=password, campaign=campaign
    )
    for spec in DEMO_MEALS:
        meal, host_token = _meal(campaign, spec, today)
        result.notes_created += _notes(meal, spec)
        if spec.held and meal.status != MealStatus.HELD.value:
            meal_service.close_meal(meal, *spec.held)
        result.meals.append(
            SeededMeal(spec.place, spec.group, links.guest_url(meal), links.host_url(host_token))
        )
    return result


def _organisation() -> Organisation:
    return user_service.get_or_create_organisation(ORG_SLUG, ORG_NAME)


def _admin(org: Organisation, password: str) -> None:
    """The demo admin, with a new password on every run (there is no fixed default)."""
    user = user_service.user_by_email(ADMIN_EMAIL)
    if user is None:
        user_service.create_user(
            org, ADMIN_EMAIL, password, name="Demo-administrator", role=Role.ADMIN.value
        )
    else:
        user.active = True
        user_service.set_password(user, password)


def _campaign(org: Organisation, today: date) -> Campaign:
    campaign = campaign_service.campaign_by_slug(CAMPAIGN_SLUG)
    if campaign is not None:
        if campaign.organisation_id != org.id:
            raise user_service.UserError("The slug 'demo' is taken by another organisation.")
        return campaign
    data = campaign_service.CampaignData(
        titles={
            "nb": "Gjestebud: nærmiljøet vårt",
            "nn": "Gjestebod: nærmiljøet vårt",
            "en": "Gjestebud: our neighbourhood",
        },
        purposes={
            "nb": "Vi vil vite hva du setter pris på der du bor, hva bibliotek og innbyggertorg "
                  "kan gjøre for deg, og hva du drømmer om.",
            "en": "We want to know what you value where you live, what the library and the "
                  "service centre can do for you, and what you dream of.",
        },
        results_uses={
            "nb": "Svarene brukes når kommunen planlegger bibliotek og innbyggertorg. Alle som "
                  "var med, får en oppsummering av hva vi hørte og hva vi gjør videre.",
            "en": "The answers are used when the municipality plans libraries and service "
                  "centres. Everyone who took part gets a summary of what we heard and what "
                  "we will do next.",
        },
        questions=campaign_service.default_questions(),
        places=PLACES,
        target_groups=TARGET_GROUPS,
        status="open",
        opens_on=today - timedelta(days=21),
        closes_on=today + timedelta(days=45),
    )
    return campaign_service.create_campaign(org, data, slug=CAMPAIGN_SLUG)


def _meal(campaign: Campaign, spec: DemoMeal, today: date) -> tuple[Meal, str]:
    """The demo meal for this place and group; created once, its host link renewed each run."""
    meal = db.session.scalar(
        sa.select(Meal)
        .join(Place, Meal.place_id == Place.id)
        .join(TargetGroup, Meal.target_group_id == TargetGroup.id)
        .where(
            Meal.campaign_id == campaign.id,
            Place.name == spec.place,
            TargetGroup.name == spec.group,
        )
        .order_by(Meal.id)
        .limit(1)
    )
    if meal is not None:
        return meal, meal_service.rotate_host_token(meal)
    # Someone may have edited the demo campaign: put back the place or group a meal needs.
    org = campaign.organisation
    place = campaign_service.get_or_create_places(org, [spec.place])[0]
    group = campaign_service.get_or_create_target_groups(org, [spec.group])[0]
    if place not in campaign.places:
        campaign.places.append(place)
    if group not in campaign.target_groups:
        campaign.target_groups.append(group)
    db.session.flush()
    return meal_service.register_meal(
        campaign,
        meal_service.MealRegistration(
            host_name=f"Demovert {spec.place}",
            place_id=place.id,
            target_group_id=group.id,
            held_on=today + timedelta(days=spec.days_from_today),
            expected_guests=8,
        ),
    )


def _notes(meal: Meal, spec: DemoMeal) -> int:
    """Add the meal's notes; stable client keys mean a re-run adds nothing."""
    questions = {q.position: q for q in meal.campaign.questions}
    created = 0
    for n, (position, text, language) in enumerate(spec.notes, start=1):
        _note, new = note_service.add_note(
            meal, questions[position], text, f"demo-{spec.key}-{n:02d}",
            max_length=1000, language=language,
        )
        created += int(new)
    return created
