from django.db import models


class PublicationStatus(models.TextChoices):
    """Whether visitors may see a piece of content (articles, portfolio cases)."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
