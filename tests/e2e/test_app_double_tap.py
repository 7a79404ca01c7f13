"""Issue #4, test 4: a double tap on save makes one record (the id is made when the form
opens, so even a second save that got through would write the same record again)."""
from fieldapp.models import Visit
from tests.e2e.helpers import add_household, go, outbox, server_rows, sign_in, wait_synced


def test_double_tap_on_save_makes_one_record(context, page, seeded):
    app, world = seeded
    sign_in(page, "col_a")
    context.set_offline(True)
    hh = add_household(page, "Vũ Thị Lan", "Số 20, Tổ dân phố 1")
    go(page, f"#/visit/new?household={hh}")
    page.wait_for_selector("#form-visit-live")
    page.check("#form-visit-live input[name=outcome][value=not_interested]")
    page.dblclick("#form-visit-live button.save")
    page.wait_for_selector(".hh-card")
    # A retry of the same form (as a slow phone might send it) changes nothing either.
    visits = [e for e in outbox(page) if e["type"] == "visit"]
    assert len(visits) == 1

    go(page, f"#/visit/new?household={hh}")
    page.wait_for_selector("#form-visit-live")
    page.check("#form-visit-live input[name=outcome][value=not_home]")
    page.evaluate("""() => {
        const form = document.querySelector('#form-visit-live');
        form.requestSubmit(); form.requestSubmit(); form.requestSubmit();
    }""")
    page.wait_for_selector(".hh-card")
    visits = [e for e in outbox(page) if e["type"] == "visit"]
    assert len(visits) == 2

    context.set_offline(False)
    wait_synced(page)
    assert sorted(v.outcome for v in server_rows(app, Visit, household_id=hh)) == [
        "not_home", "not_interested"]
