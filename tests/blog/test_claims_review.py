"""An article whose wording matches the claims to review is published or scheduled only once an
editor has reviewed that wording (blog.services.check_claims_review and save_article)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog import services
from blog.models import Article, ClaimPhrase
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CLAIM = "<p>Careful work. SMP gives permanent results.</p>"
TWO_CLAIMS = "<p>Careful work. SMP gives permanent results. The treatment is painless.</p>"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "sam", "sam@staff.example", first_name="Sam", last_name="Editor", is_staff=True
    )


def draft(body: str = CLAIM, **fields) -> Article:
    return ArticleFactory(status=Article.Status.DRAFT, body=body, **fields)


def publish(article: Article, *, reviewed_by=None) -> list[services.ClaimFound]:
    article.status = Article.Status.PUBLISHED
    return services.save_article(
        article=article, hero_changed=False, claims_reviewed_by=reviewed_by
    )


def test_a_draft_with_claims_is_saved_without_a_review_and_counts_them():
    article = draft(TWO_CLAIMS)
    article.refresh_from_db()
    assert article.claims_found == 2
    assert article.claims_reviewed_at is None


def test_publishing_wording_with_claims_nobody_reviewed_is_refused_and_nothing_is_saved():
    article = draft()
    with pytest.raises(ValidationError):
        publish(article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_new_article_with_unreviewed_claims_is_not_created_as_published():
    with pytest.raises(ValidationError):
        ArticleFactory(body=CLAIM)
    assert not Article.objects.exists()


def test_scheduling_wording_with_unreviewed_claims_is_refused_too():
    article = draft()
    article.published_at = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        publish(article)


def test_the_refusal_names_each_sentence_with_its_phrase_and_reason():
    article = draft(TWO_CLAIMS)
    article.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError) as refusal:
        services.check_claims_review(article=article, reviewing=False)
    messages = refusal.value.messages
    assert "I have reviewed the wording" in messages[0]
    assert messages[1:] == [
        "“permanent results” in “SMP gives permanent results.” — SMP fades over years and may "
        "need touch-ups.",
        "“painless” in “The treatment is painless.” — Most people feel some discomfort; say "
        "how it is managed instead.",
    ]


def test_publishing_with_a_review_records_who_reviewed_the_wording_and_when(editor):
    article = draft()
    publish(article, reviewed_by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.claims_reviewed_by == editor
    assert timezone.now() - article.claims_reviewed_at < datetime.timedelta(minutes=1)
    assert len(article.claims_fingerprints) == 1


def test_reviewed_wording_stays_reviewed_through_edits_that_add_no_claim(editor):
    article = draft()
    publish(article, reviewed_by=editor)
    article.body = CLAIM + "<p>Book a consultation to talk it through.</p>"
    publish(article)
    article.refresh_from_db()
    assert article.claims_reviewed_by == editor


def test_a_new_claim_sentence_clears_the_review_and_publishing_needs_one_again(editor):
    article = draft()
    publish(article, reviewed_by=editor)
    article.body = TWO_CLAIMS
    with pytest.raises(ValidationError):
        publish(article)
    article.status = Article.Status.DRAFT
    services.save_article(article=article, hero_changed=False)
    article.refresh_from_db()
    assert (article.claims_found, article.claims_reviewed_by) == (2, None)


def test_rewording_a_reviewed_sentence_makes_it_a_new_claim(editor):
    article = draft()
    publish(article, reviewed_by=editor)
    article.body = "<p>Careful work. SMP gives permanent results for most people.</p>"
    with pytest.raises(ValidationError):
        publish(article)


def test_removing_one_reviewed_claim_keeps_the_review_of_the_rest(editor):
    article = draft(TWO_CLAIMS)
    publish(article, reviewed_by=editor)
    article.body = CLAIM
    publish(article)
    article.refresh_from_db()
    assert (article.claims_found, article.claims_reviewed_by) == (1, editor)


def test_wording_without_claims_carries_no_review(editor):
    article = draft()
    publish(article, reviewed_by=editor)
    article.body = "<p>Careful work. Results vary and fade over the years.</p>"
    publish(article)
    article.refresh_from_db()
    assert (article.claims_found, article.claims_reviewed_at) == (0, None)


def test_ticking_the_review_for_wording_without_claims_records_nothing(editor):
    article = draft(body="<p>Results vary.</p>")
    publish(article, reviewed_by=editor)
    article.refresh_from_db()
    assert article.claims_reviewed_by is None


def test_claims_are_read_from_the_body_as_it_will_be_stored():
    article = ArticleFactory.build(body="<p>Careful work.</p><script>guaranteed</script>")
    assert services.find_claims(article=article) == []


def test_a_new_phrase_on_the_claims_list_updates_the_counts_and_clears_reviews_it_escapes(
    editor,
):
    reviewed = draft()
    publish(reviewed, reviewed_by=editor)
    plain = draft(body="<p>An instant transformation awaits.</p>")
    updated = plain.updated_at

    ClaimPhrase.objects.create(phrase="instant transformation")
    ClaimPhrase.objects.create(phrase="careful work")
    assert services.refresh_claims_found() == 2

    reviewed.refresh_from_db()
    plain.refresh_from_db()
    assert (reviewed.claims_found, reviewed.claims_reviewed_by) == (2, None)
    assert reviewed.status == Article.Status.PUBLISHED
    assert plain.claims_found == 1
    assert plain.updated_at == updated
