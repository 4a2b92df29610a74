from django.db import models


class PublicationStatus(models.TextChoices):
    """Whether visitors may see a piece of content (articles, portfolio cases)."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class EnquiryType(models.TextChoices):
    """What a visitor asks about; decides which clinic the enquiry is routed to."""

    NEW_SMP = "new_smp", "New SMP treatment"
    SMP_CORRECTION = "smp_correction", "SMP touch-up or correction"
    LASER_SMP = "laser_smp", "Laser removal of SMP"
    LASER_TATTOO = "laser_tattoo", "Laser removal of a tattoo"
    OTHER = "other", "Something else"
