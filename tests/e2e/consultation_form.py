"""Filling in the consultation form as a visitor does, shared by the browser tests."""

from playwright.sync_api import Page

from tests.bookings.helpers import next_open_day


def fill_in_the_form(page: Page) -> None:
    page.get_by_label("Full name").fill("Jamie Example")
    page.get_by_label("Email address").fill("jamie@client.example")
    page.get_by_label("Phone number").fill("07911 123456")
    page.get_by_label("Phone call").check()
    page.get_by_label("First choice").fill(next_open_day().isoformat())
    page.get_by_label("Preferred time of day").select_option("morning")
    page.get_by_label("I agree that the clinic may use").check()
