"""Issue #9, point 10: when the phone's database refuses a save (storage full, private mode),
the collector is told so in plain words and Save works again; a household health-insurance
sign-up of several members is saved whole or not at all."""
from tests.e2e.helpers import add_household, add_member, go, open_signup, outbox, sign_in, stored, this_month

# IndexedDB puts into `window.failPut.store` throw QuotaExceededError once `after` have passed.
FAIL_PUTS = """(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
        const f = window.failPut;
        if (f && f.store === this.name && (f.seen = (f.seen || 0) + 1) > f.after) {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return put.apply(this, args);
    };
})();"""
MESSAGE = "Không lưu được trên máy: bộ nhớ đầy hoặc bị chặn. Hãy thử lại."


def test_failed_save_says_so_and_gives_save_back(context, page):
    context.add_init_script(FAIL_PUTS)
    sign_in(page, "col_a")
    context.set_offline(True)
    go(page, "#/household/new")
    form = "#form-household-live"
    page.wait_for_selector(form)
    page.fill(f"{form} [name=head_name]", "Lý Thị Hoa")
    page.select_option(f"{form} [name=area]", "31001-1")
    page.fill(f"{form} [name=address]", "Số 3, Tổ dân phố 1")
    page.evaluate("() => { window.failPut = { store: 'households', after: 0 }; }")
    page.click(f"{form} button.save")
    page.wait_for_function("(m) => document.querySelector('#toast').textContent === m", arg=MESSAGE)
    assert page.inner_text(f"{form} .form-errors") == MESSAGE
    assert page.is_enabled(f"{form} button.save")
    assert outbox(page) == [] and stored(page, "households") == []

    page.evaluate("() => { window.failPut = null; }")  # space freed: the same form saves
    page.click(f"{form} button.save")
    page.wait_for_selector(".hh-card")
    assert [e["type"] for e in outbox(page)] == ["household"]


def test_multi_member_sign_up_is_saved_whole_or_not_at_all(context, page):
    context.add_init_script(FAIL_PUTS)
    sign_in(page, "col_a")
    context.set_offline(True)
    hh = add_household(page, "Phan Văn Đức", "Số 4, Tổ dân phố 1")
    add_member(page, hh, "Phan Văn Đức", "1980-01-01", "male")
    add_member(page, hh, "Lê Thị Em", "1982-02-02", "female")
    add_member(page, hh, "Phan Văn Giang", "2010-03-03", "male")
    before = len(outbox(page))
    open_signup(page, hh)
    form = "#form-enrollment-live"
    page.check(f"{form} input[name=scheme][value=hhi]")
    page.fill(f"{form} [name=start_month]", this_month())
    page.select_option(f"{form} [name=period_months]", "12")
    for row in page.locator(f"{form} .member-row").all():
        row.locator("input[type=checkbox]").check()
    page.evaluate("() => { window.failPut = { store: 'enrollments', after: 1 }; }")  # 2nd member fails
    page.click(f"{form} button.save")
    page.wait_for_function("(m) => document.querySelector('#toast').textContent === m", arg=MESSAGE)
    assert page.is_enabled(f"{form} button.save")
    assert len(outbox(page)) == before  # not one member's sign-up was queued
    assert stored(page, "enrollments") == []

    page.evaluate("() => { window.failPut = null; }")
    page.click(f"{form} button.save")
    page.wait_for_selector(".hh-card")
    assert len(stored(page, "enrollments")) == 3
    assert [e["type"] for e in outbox(page)].count("enrollment") == 3
