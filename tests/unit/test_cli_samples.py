"""The sample CSV files in docs/samples import cleanly into the demo database (#2)."""
from fieldapp.models import Area, Household, ParticipantCount, Plan
from tests.unit.cli_support import SAMPLES, count, invoke

ORDER = [("import-areas", "areas.csv", Area), ("import-households", "households.csv", Household),
         ("import-counts", "counts.csv", ParticipantCount), ("import-plans", "plans.csv", Plan)]


def data_rows(name):
    return len((SAMPLES / name).read_text(encoding="utf-8-sig").strip().splitlines()) - 1


def test_the_samples_import_into_the_demo_database_and_again_harmlessly(app):
    assert invoke(app, "seed-demo").exit_code == 0
    for command, name, model in ORDER:
        before = count(app, model)
        result = invoke(app, command, SAMPLES / name)
        assert result.exit_code == 0, result.output
        assert f"{data_rows(name)} created" in result.output
        assert count(app, model) == before + data_rows(name)
    for command, name, _model in ORDER:
        result = invoke(app, command, SAMPLES / name)
        assert f"{data_rows(name)} unchanged" in result.output, result.output
