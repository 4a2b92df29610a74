"""factory_boy factories for the apps' models; they save through the apps' services."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from blog import services as blog_services
from blog.models import Article, Author, Tag, Topic
from bookings.forms import clean_enquiry_photo
from bookings.models import Clinic, ConsultationRequest, StaffMember
from bookings.services import enquiries
from portfolio import services as portfolio_services
from portfolio.models import BeforeAfterCase, Treatment


def topic(slug: str = "scalp-micropigmentation") -> Topic:
    """The topics are data loaded by a migration, so tests use them rather than make more."""
    return Topic.objects.get(slug=slug)


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Sam Author {n}")
    job_title = "SMP practitioner"


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda o: o.name.replace(" ", "-"))


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n} on caring for a new hairline")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short, plain summary of what this article explains, long enough to describe it."
    body = "<p>Scalp micropigmentation places tiny dots of pigment in the scalp.</p>"
    hero_image = factory.django.ImageField(width=48, height=32, color="teal", filename="hero.jpg")
    hero_alt = "Illustration of a shaved head with a soft hairline"
    author = factory.SubFactory(AuthorFactory)
    topic = factory.LazyFunction(topic)
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(days=1000) + datetime.timedelta(hours=n)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        article = model_class(*args, **kwargs)
        blog_services.save_article(article=article, hero_changed=True)
        return article

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class BeforeAfterCaseFactory(DjangoModelFactory):
    class Meta:
        model = BeforeAfterCase

    title = factory.Sequence(lambda n: f"Case {n}: a natural hairline")
    slug = factory.Sequence(lambda n: f"case-{n}")
    treatment = Treatment.HAIRLINE
    description = "A receding hairline rebuilt over three sessions."
    sessions = 3
    weeks_between_photos = 6
    before_image = factory.django.ImageField(width=48, height=32, color="tan", filename="b.jpg")
    before_alt = "Before: a receding hairline"
    after_image = factory.django.ImageField(width=48, height=32, color="brown", filename="a.jpg")
    after_alt = "After: a soft, natural hairline"
    consent_recorded_on = factory.LazyFunction(lambda: datetime.date(2026, 1, 10))
    photos_unretouched = True
    status = BeforeAfterCase.Status.PUBLISHED
    position = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return portfolio_services.save_case(
            case=model_class(*args, **kwargs), changed_images={"before_image", "after_image"}
        )


def make_enquiry(**overrides) -> ConsultationRequest:
    """A consultation request made the way the website makes one: photos (uploads) cleaned as
    the form cleans them, then the service."""
    overrides["photos"] = [clean_enquiry_photo(photo) for photo in overrides.get("photos", ())]
    data = {
        "full_name": "Jamie Example",
        "email": "jamie@client.example",
        "phone": "+447911123456",
        "contact_method": "email",
        "enquiry_type": "new_smp",
        "preferred_dates": [],
        "preferred_time": "any",
        "message": "My hairline is receding at the temples.",
    }
    return enquiries.create_consultation_request(**(data | overrides))


STAFF_PASSWORD = "a-long-staff-password-123"


def staff_user(clinic_slug: str = "restoration-u", username: str | None = None):
    """A reception staff account belonging to one clinic."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username or f"reception-{clinic_slug}",
        email=f"{clinic_slug}@staff.example",
        password=STAFF_PASSWORD,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Reception"))
    StaffMember.objects.create(user=user, clinic=Clinic.objects.get(slug=clinic_slug))
    return user
