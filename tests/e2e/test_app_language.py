"""Vietnamese by default, English on request (the choice is kept on the phone); amounts and
dates keep the Vietnamese shape in both languages."""
from tests.e2e.helpers import go, sign_in, wait_ready


def test_switch_to_english_and_back(page, server):
    sign_in(page, "col_a")
    assert page.inner_text("#nav") .split("\n")[1] == "Hôm nay"
    go(page, "#/more")
    with page.expect_navigation():
        page.click("#view button[lang=en]")
    wait_ready(page)
    assert "Today" in page.inner_text("#nav")
    page.reload()
    wait_ready(page)
    assert "Households" in page.inner_text("#nav")  # kept after a restart
    go(page, "#/group/new")
    page.wait_for_selector("#form-outreach-live")
    assert "Attendees" in page.inner_text("#form-outreach-live")
    assert "Small-group talk" in page.inner_text("#form-outreach-live")
    go(page, "#/more")
    with page.expect_navigation():
        page.click("#view button[lang=vi]")
    wait_ready(page)
    assert "Hộ dân" in page.inner_text("#nav")
