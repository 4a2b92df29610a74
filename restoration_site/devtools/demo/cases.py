"""Demo portfolio cases for `seed_demo`: drawn illustrations, created once by slug."""

import datetime
from collections.abc import Callable

from django.core.files.base import ContentFile

from portfolio import services
from portfolio.models import BeforeAfterCase, Treatment
from restoration_site.devtools.demo.drawing import draw_illustration

# slug, title, treatment, (before, after) hairline styles, sessions, weeks, featured, not ours,
# description
CASES = [
    (
        "natural-hairline-early-thirties",
        "A soft, natural hairline in his early thirties",
        Treatment.HAIRLINE,
        ("none", "full"),
        3,
        6,
        True,
        False,
        "A receding hairline rebuilt with a soft, slightly irregular front edge that suits his "
        "age, rather than a hard straight line. Three sessions, a week or two apart.",
    ),
    (
        "hairline-with-temple-points",
        "Hairline with gently defined temples",
        Treatment.HAIRLINE,
        ("sparse", "full"),
        3,
        8,
        False,
        False,
        "The temples were shaped to follow his natural growth pattern, with the density fading "
        "off towards the front so the line does not look drawn on.",
    ),
    (
        "density-for-diffuse-thinning",
        "Adding density to diffuse thinning",
        Treatment.DENSITY,
        ("sparse", "full"),
        3,
        10,
        True,
        False,
        "He keeps his hair a little longer on top. Pigment placed between the remaining hairs "
        "reduces how much scalp shows through, without shaving.",
    ),
    (
        "crown-density",
        "Crown density for a thinning crown",
        Treatment.DENSITY,
        ("sparse", "full"),
        2,
        6,
        False,
        False,
        "A thinning crown blended into the surrounding hair over two sessions, matched to the "
        "shade of his natural stubble.",
    ),
    (
        "scar-camouflage-transplant-strip",
        "Camouflaging a hair-transplant strip scar",
        Treatment.SCAR,
        ("sparse", "full"),
        3,
        12,
        True,
        False,
        "A linear scar from an earlier strip transplant, softened with pigment matched to the "
        "surrounding follicles so it is far less noticeable with a short cut.",
    ),
    (
        "scar-camouflage-small-scars",
        "Blending small scars after an injury",
        Treatment.SCAR,
        ("sparse", "full"),
        2,
        8,
        False,
        False,
        "Several small scars from an old injury, blended in over two sessions. Scar tissue takes "
        "pigment differently, so we worked gradually and checked the result between visits.",
    ),
    (
        "correction-of-a-harsh-hairline",
        "Correcting a harsh hairline done elsewhere",
        Treatment.CORRECTION,
        ("harsh", "full"),
        4,
        30,
        False,
        False,
        "His earlier SMP had a flat, dark line. After lightening at our sister clinic Laser "
        "Reverse, we redesigned a softer hairline over four sessions.",
    ),
    (
        "laser-fading-of-dark-smp",
        "Fading over-dark SMP before new work",
        Treatment.LASER_REMOVAL,
        ("harsh", "sparse"),
        5,
        40,
        False,
        False,
        "Pigment that had spread and darkened was faded at Laser Reverse over five sessions "
        "spaced several weeks apart, leaving a clean base for new SMP.",
    ),
    (
        "poor-smp-example-not-our-work",
        "Example of poor SMP: a flat, blocky hairline",
        Treatment.CORRECTION,
        ("none", "harsh"),
        1,
        None,
        False,
        True,
        "This is not our work. It shows what to look out for: a hairline drawn straight across, "
        "too low and too dark, with dots that have merged into a solid block. Work like this can "
        "usually be lightened with laser and then corrected.",
    ),
]


def seed_cases(*, log: Callable[[str], None]) -> None:
    for position, case_data in enumerate(CASES):
        (
            slug,
            title,
            treatment,
            (before, after),
            sessions,
            weeks,
            featured,
            not_ours,
            description,
        ) = case_data
        if BeforeAfterCase.objects.filter(slug=slug).exists():
            log(f"found case '{slug}'")
            continue
        case = BeforeAfterCase(
            slug=slug,
            title=title,
            treatment=treatment,
            description=description,
            sessions=sessions,
            weeks_between_photos=weeks,
            featured=featured,
            not_our_work=not_ours,
            position=position,
            consent_recorded_on=datetime.date(2026, 1, 10),
            photos_unretouched=True,
            status=BeforeAfterCase.Status.PUBLISHED,
            **_photo_descriptions(before=before, after=after, not_ours=not_ours),
        )
        for side, style in (("before", before), ("after", after)):
            drawing = draw_illustration(
                width=1500, height=1000, variant=position, caption=f"{side}", hairline=style
            )
            setattr(case, f"{side}_image", ContentFile(drawing, name=f"{slug}-{side}.jpg"))
        services.save_case(case=case, changed_images={"before_image", "after_image"})
        log(f"created case '{slug}'")


def _photo_descriptions(*, before: str, after: str, not_ours: bool) -> dict[str, str]:
    """An example of poor SMP is another practitioner's work: its photos never read as our
    treatment's before and after."""
    if not_ours:
        return {
            "before_alt": f"Illustration of the scalp before SMP elsewhere: {_describe(before)}",
            "after_alt": "Illustration of poor SMP by another practitioner: " + _describe(after),
        }
    return {
        "before_alt": f"Illustration of the scalp before treatment: {_describe(before)}",
        "after_alt": f"Illustration of the scalp after treatment: {_describe(after)}",
    }


def _describe(style: str) -> str:
    return {
        "none": "no pigment, a bare scalp",
        "sparse": "thin, patchy coverage",
        "full": "even dots with a soft, natural hairline",
        "harsh": "a flat, dark, blocky hairline",
    }[style]
