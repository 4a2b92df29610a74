import re

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.html import strip_tags

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def count_claims(apps, schema_editor):
    """Articles written before the review carry their count of claims found, none of them
    reviewed, so the article list shows them at once. The matching of blog.services as it is
    now (stored bodies are already cleaned)."""
    Article = apps.get_model("blog", "Article")
    phrases = list(apps.get_model("blog", "ClaimPhrase").objects.values_list("phrase", flat=True))
    patterns = [re.compile(rf"(?<!\w){re.escape(p.strip())}(?!\w)", re.IGNORECASE) for p in phrases]
    for article in Article.objects.only("title", "summary", "body"):
        body = re.sub(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>", "\n", article.body or "")
        text = "\n".join([article.title, article.summary, strip_tags(body)])
        sentences = [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]
        found = sum(1 for s in sentences for pattern in patterns if pattern.search(s))
        if found:
            Article.objects.filter(pk=article.pk).update(claims_found=found)


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0002_topics_and_claim_phrases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='claims_fingerprints',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='claims_found',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='claims_reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='wording reviewed at'),
        ),
        migrations.AddField(
            model_name='article',
            name='claims_reviewed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='wording reviewed by'),
        ),
        migrations.AlterField(
            model_name='article',
            name='summary',
            field=models.CharField(help_text='70 to 160 characters. Shown in lists and used as the description search engines show.', max_length=160, validators=[django.core.validators.MinLengthValidator(70, message='Write at least %(limit_value)d characters (this summary has %(show_value)d): search engines show 70 to 160.')]),
        ),
        migrations.RunPython(count_claims, migrations.RunPython.noop),
    ]
