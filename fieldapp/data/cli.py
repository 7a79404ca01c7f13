"""Flask commands (docs/cli.md): `flask --app app <command>`.

The commands only adapt the console to the modules that do the work (schema, demo,
importers, export); their errors become one readable message and a non-zero exit code.
Console text is English: these are operators' tools.
"""
import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..extensions import db


def init_app(app):
    for command in _commands():
        app.cli.add_command(command)


def _commands():
    return (init_db_command, seed_demo_command, create_user_command, import_areas_command,
            import_households_command, import_counts_command, import_plans_command,
            export_sqlite_command)


def command_names():
    """The names of this module's commands (docs/cli.md), for the help and README test."""
    return [command.name for command in _commands()]


def _fail(message):
    raise click.ClickException(message)


def _require_schema():
    """Stop with a hint, not a traceback, when the database has no tables yet."""
    from sqlalchemy import inspect

    if not inspect(db.engine).has_table("users"):
        _fail("The database has no tables yet; run `flask --app app init-db` first.")


@click.command(
    "init-db", short_help="Create or migrate the database schema (safe to run again).")
@with_appcontext
def init_db_command():
    """Create the database schema, or migrate it to the latest version.

    Safe to run again: an up-to-date database is left as it is, and a database made
    without migrations (db.create_all) is adopted, not recreated. Also adds the premium
    published parameter sets (docs/premiums.md) that are missing (never changes existing ones).
    """
    from ..db import schema
    from ..rules.policy import seed_parameters

    outcome = schema.init_db()
    added = seed_parameters()
    db.session.commit()
    messages = {"created": "Database created at the latest schema",
                "upgraded": "Database migrated to the latest schema",
                "current": "Database schema already up to date",
                "stamped": "Existing tables adopted and marked at the latest schema"}
    click.echo(f"{messages[outcome]} ({schema.head_revision()}).")
    if outcome == "stamped":
        differences = schema.schema_differences()
        if differences:
            click.echo(f"Warning: {len(differences)} differences remain between the tables "
                       f"and the models; check them before relying on this database:", err=True)
            for diff in differences[:20]:
                click.echo(f"  {diff}", err=True)
    if added:
        click.echo(f"Added {added} premium parameter sets.")


@click.command("seed-demo")
@with_appcontext
@click.option("--password", default="demo", show_default=True,
              help="Password of every demo user.")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already has users (for `make run`).")
def seed_demo_command(password, if_empty):
    """Fill an empty database with a demo city (Hải Phòng).

    Communes and villages, a post office with collection points and coordination programs,
    a few hundred households with their members, visits, sign-ups, referrals, outreach
    sessions, this year's plan and official counts for the past twelve months. Users:
    admin, supervisor, collector1, collector2, village1. The same data every time.
    """
    from ..models import User
    from . import demo

    _require_schema()
    if db.session.scalar(db.select(User.id).limit(1)) is not None:
        if if_empty:
            click.echo("The database already has users; demo data not added.")
            return
        _fail("The database already has users; seed-demo only fills an empty database "
              "(use --if-empty to skip quietly).")
    if not password:
        _fail("The demo password cannot be empty.")
    summary = demo.seed(password=password)
    click.echo("Demo data added: " + ", ".join(f"{n} {what}" for what, n in summary.items()) + ".")
    click.echo(f"Sign in as {', '.join(demo.USERNAMES)} with the password: {password}")


@click.command(
    "create-user", short_help="Add a user (prompts for the password when not given).")
@with_appcontext
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(("admin", "supervisor", "collector",
                                                          "village_head")),
              help="What the user does.")
@click.option("--area", "areas", multiple=True, metavar="CODE",
              help="An area the user works in (repeat for several); required except for admin.")
@click.option("--password", help="At least 8 characters; asked for (hidden, twice) when omitted.")
@click.option("--full-name", help="The user's full name; the username when omitted.")
@click.option("--phone", help="A Vietnamese phone number.")
@click.option("--organization", metavar="CODE", help="Code of the collection organization.")
def create_user_command(username, role, areas, password, full_name, phone, organization):
    """Add a user who can sign in (and, as collector or village head, pair a phone).

    The same rules as the admin's user form: a username of lower-case letters, digits,
    '.', '-' or '_'; a password of at least 8 characters; areas by code (a village head
    gets villages only).
    """
    _require_schema()
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with force_locale("en"):
        user = _create_user(username, role, areas, password, full_name or username, phone,
                            organization)
    where = ", ".join(a.code for a in user.areas) or "no areas"
    click.echo(f"Created {user.role} {user.username} ({where}).")


def _create_user(username, role, area_codes, password, full_name, phone, org_code):
    """Judge the input with UserCreateForm, then add the user and its audit entry."""
    from werkzeug.datastructures import MultiDict

    from ..forms.users import UserCreateForm
    from ..models import Organization, User
    from ..rules import audit

    org_id = ""
    if org_code:
        org_id = db.session.scalar(db.select(Organization.id).where(Organization.code == org_code))
        if org_id is None:
            _fail(f"organization: no organization has the code {org_code}.")
    form = UserCreateForm(formdata=MultiDict({
        "username": username, "role": role, "areas": " ".join(area_codes), "password": password,
        "full_name": full_name, "phone": phone or "", "organization": str(org_id or "")}),
        meta={"csrf": False})
    form.organization.choices = [("", "—")] + ([(str(org_id), org_code)] if org_id else [])
    if not form.validate():
        _fail("\n".join(f"{field}: {message}" for field, messages in form.errors.items()
                        for message in messages))
    user = User(username=form.username.data, role=form.role.data, full_name=form.full_name.data,
                phone=form.phone.data, organization_id=form.organization_id())
    user.set_password(form.password.data)
    user.areas = list(form.area_objects)
    db.session.add(user)
    db.session.flush()
    audit.record("create", "user", user.id, after=audit.values_of(user))
    db.session.commit()
    return user


def _run_import(function, path):
    from sqlalchemy.exc import IntegrityError

    from .csvfile import ImportFailed

    _require_schema()
    try:
        result = function(path)
    except ImportFailed as exc:
        _fail(str(exc))
    except IntegrityError:
        # Someone else wrote the same keys between our checks and our write.
        _fail(f"{click.format_filename(path)}: the database changed during the import; "
              f"nothing was imported. Run the command again.")
    click.echo(result.summary())


_FILE = click.Path(exists=True, dir_okay=False, readable=True)
_CSV_NOTE = ("UTF-8 CSV (Excel's \"CSV UTF-8\" is fine), first line the column names, at "
             "most 50 MB. A file with any bad row imports nothing; every problem is listed "
             "with its line and column.")


@click.command(
    "import-areas", short_help="Import areas (code,name,level,parent_code) from a CSV file.",
    help=(
    "Import areas from FILE (columns code,name,level,parent_code; optional valid_from, "
    "valid_to as YYYY-MM-DD, central_city yes/no for a centrally-run city). Levels: "
    "province (code of 2 digits), district (3), commune (5), village (<commune code>-<n>). "
    "Parents may come later in the file. An existing "
    "code is updated (name, parent, dates). " + _CSV_NOTE))
@with_appcontext
@click.argument("file", type=_FILE)
def import_areas_command(file):
    from .importers import import_areas

    _run_import(import_areas, file)


@click.command(
    "import-households",
    short_help="Import households (area_code,address,head_name,...) from a CSV file.",
    help=(
    "Import households from FILE (columns area_code,address,head_name,phone,note; phone and "
    "note may be left out). area_code is a village. Rows are checked by the same rules as "
    "households made on phones, and the new households reach the collectors' phones at "
    "their next sync. A household already in its village (same head and address) is "
    "skipped. " + _CSV_NOTE))
@with_appcontext
@click.argument("file", type=_FILE)
def import_households_command(file):
    from .importers import import_households

    _run_import(import_households, file)


@click.command(
    "import-counts",
    short_help="Import official participant counts per area and month from a CSV file.",
    help=(
    "Import the social-insurance office's official participant counts from FILE (columns "
    "area_code,month,scheme,participants; month as YYYY-MM, scheme vsi or hhi). A count "
    "already there for the area, month and scheme is replaced. " + _CSV_NOTE))
@with_appcontext
@click.argument("file", type=_FILE)
def import_counts_command(file):
    from .importers import import_counts

    _run_import(import_counts, file)


@click.command(
    "import-plans", short_help="Import the year's target per area and scheme from a CSV file.",
    help=(
    "Import the year's targets from FILE (columns area_code,year,scheme,participants: the "
    "number of participants planned for the year, scheme vsi or hhi; an optional fifth "
    "column new_participants: the year's target for new sign-ups). A target already "
    "there for the area, year and scheme is replaced. " + _CSV_NOTE))
@with_appcontext
@click.argument("file", type=_FILE)
def import_plans_command(file):
    from .importers import import_plans

    _run_import(import_plans, file)


@click.command(
    "export-sqlite", short_help="Write a SQLite export for analysts (holds personal data).")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def export_sqlite_command(out, force):
    """Write an export of the synced data to the SQLite file OUT, for analysts.

    Tables: areas, organizations, households, persons, visits, enrollments, referrals,
    outreach, plans, participant_counts, with foreign keys and indexes. It INCLUDES
    personal data (names, phone numbers, 12-digit personal IDs): keep the file as safe
    as the database itself.
    """
    from .export import export

    _require_schema()
    try:
        counts = export(out, overwrite=force)
    except FileExistsError:
        _fail(f"{out} exists; add --force to overwrite it.")
    click.echo(f"Wrote {out}: " + ", ".join(f"{n} {table}" for table, n in counts.items()) + ".")
