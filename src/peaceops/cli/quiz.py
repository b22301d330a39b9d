"""``peaceops quiz ...``: the instructor's workflow, one sub-command per step.

peaceops quiz list                          the quizzes and their points
peaceops quiz release QUIZ [--exchange]     bank -> source/ -> release/ (student copy)
peaceops quiz collect QUIZ --zip FILE       an LMS download -> submitted/
peaceops quiz collect QUIZ --exchange       the nbgrader exchange -> submitted/
peaceops quiz autograde QUIZ [--resume]   each submission in a sandbox, marked, reported
peaceops quiz formgrade                     nbgrader's formgrader, for written answers
peaceops quiz mark QUIZ STUDENT ITEM POINTS a manual mark from the command line
peaceops quiz feedback QUIZ [--exchange]    HTML feedback per student
peaceops quiz export QUIZ [--out FILE]      grades as CSV, with a status per student
    [--format canvas|moodle] [--per-question] the CSV a Canvas or Moodle gradebook imports
peaceops quiz analyse QUIZ                  item analysis as CSV and a chart
peaceops quiz restore-gradebook             put back the last good gradebook
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

from peaceops.course import toc
from peaceops.grading import collect, gradebook


def _reported(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a step; report what went wrong as a message, not a traceback."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from peaceops.grading import quizzes, workflow

        if getattr(args, "pool", None):
            os.environ["PEACEOPS_POOL"] = os.pathsep.join(str(p) for p in args.pool)
        if getattr(args, "pool_mode", None):
            os.environ["PEACEOPS_POOL_MODE"] = args.pool_mode

        try:
            return func(args)
        except (workflow.GradingError, gradebook.GradebookError, collect.CollectError,
                quizzes.QuizError) as err:  # fmt: skip
            print(err, file=sys.stderr)
            return 1

    return run


def _say(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


def _root(args: argparse.Namespace) -> Path:
    return toc.find_root(args.root)


@_reported
def cmd_list(args: argparse.Namespace) -> int:
    """List the quizzes."""
    from peaceops.grading import quizzes

    root = _root(args)
    found = quizzes.load_quizzes(root)
    for q in found:
        kinds = sorted({i.question.type for i in q.items})
        terms = f", {q.minutes} min" if q.minutes else ""
        terms += f", pass mark {q.pass_mark:g} %" if q.pass_mark is not None else ""
        print(f"{q.id:14} {len(q.items):2} items, {q.points:3} points{terms}  {q.title}")
        print(f"{'':14} types: {', '.join(kinds)}")
    if args.blueprint:
        from peaceops import bank
        from peaceops.grading import blueprint

        chapters = sorted(bank.by_chapter(bank.load_bank(root / "questions", root)))
        for q in found:
            print("\n" + blueprint.render(root, q))
        short = blueprint.problems(root, found, chapters)
        fine = "Every objective is assessed at its level; every quiz applies enough."
        print("\n" + ("\n".join(f"  {p}" for p in short) if short else fine))
    return 0


@_reported
def cmd_release(args: argparse.Namespace) -> int:
    """Generate a quiz from the bank and make the student version."""
    from peaceops.grading import workflow

    folder = workflow.release(_root(args), args.quiz, exchange=args.exchange, progress=_say)
    print(f"Released {args.quiz}: give students {folder}/ (checked: no solution, hidden test "
          "or mark scheme in it).")  # fmt: skip
    return 0


@_reported
def cmd_collect(args: argparse.Namespace) -> int:
    """Collect submissions from an LMS zip or the exchange."""
    from peaceops.grading import workflow

    root = _root(args)
    if args.exchange:
        students = workflow.collect_exchange(root, args.quiz)
        print(f"Collected {len(students)} submission(s) from the exchange: {', '.join(students)}")
        return 0
    quiz = workflow.quiz(root, args.quiz)
    course = workflow.course_dir(root)
    outcomes = collect.collect_zip(course, quiz.id, args.zip, args.pattern, quiz.title)
    by_status: dict[str, int] = {}
    for o in outcomes:
        by_status[o.status] = by_status.get(o.status, 0) + 1
        if o.status != "collected" or o.reason:
            print(f"  {o.status}: {o.file} {('- ' + o.reason) if o.reason else ''}")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    print(f"{args.zip.name}: {summary}. Every file's fate: quizzes/reports/{args.quiz}-collect.csv")
    return 1 if by_status.get("rejected") else 0


@contextlib.contextmanager
def _executor(args: argparse.Namespace):
    """None (a local pool), or a Dask cluster's executor with ``--dask ADDRESS|local``."""
    if not args.dask:
        yield None
        return
    from distributed import Client, LocalCluster

    if args.dask == "local":
        cluster = LocalCluster(n_workers=args.workers or os.cpu_count() or 1,
                               threads_per_worker=1, processes=True)  # fmt: skip
        client = Client(cluster)
    else:
        cluster, client = None, Client(args.dask, timeout="30s")
    _say(f"grading on the Dask cluster at {client.dashboard_link or args.dask}")
    try:
        yield client.get_executor()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@_reported
def cmd_autograde(args: argparse.Namespace) -> int:
    """Autograde the collected submissions."""
    from peaceops.grading import autograde, workflow

    students = workflow.student_ids(args.student) if args.student else None
    with _executor(args) as executor:
        reports = autograde.autograde(_root(args), args.quiz, students, progress=_say,
                                      workers=args.workers, executor=executor,
                                      resume=args.resume)  # fmt: skip
    for r in reports:
        flag = " (written answers to mark)" if r.needs_manual else ""
        notes = f"\n      {'; '.join(r.notes)}" if r.notes else ""
        print(f"  {r.student:20} {r.status:10} {r.score:g}/{r.max_score:g}{flag}{notes}")
    failed = [r for r in reports if r.status != "graded"]
    print(f"{len(reports) - len(failed)} graded, {len(failed)} not graded; "
          f"report: quizzes/reports/{args.quiz}-autograde.csv")  # fmt: skip
    return 1 if failed else 0


@_reported
def cmd_formgrade(args: argparse.Namespace) -> int:
    """Start nbgrader's formgrader on the course and print its address."""
    import webbrowser

    from peaceops.grading import formgrade, workflow

    root = _root(args)
    log = None if args.verbose else workflow.course_dir(root) / "reports" / "formgrade.log"
    print("Starting nbgrader's formgrader...", flush=True)
    proc, url = formgrade.start(root, args.port, log)
    print(f"The formgrader is at {url}", flush=True)
    print(f"(Ctrl-C stops it{'; its log: ' + str(log) if log else ''})", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=20)
        return 0


@_reported
def cmd_mark(args: argparse.Namespace) -> int:
    """Record a manual mark."""
    from peaceops.grading import results

    results.mark(_root(args), args.quiz, args.student, args.item, args.points, args.comment)
    print(f"{args.student}: {args.item} of {args.quiz} marked {args.points:g}.")
    return 0


@_reported
def cmd_feedback(args: argparse.Namespace) -> int:
    """Write the feedback files."""
    from peaceops.grading import results

    files = results.feedback(_root(args), args.quiz, exchange=args.exchange, progress=_say)
    print(f"{len(files)} feedback file(s) in quizzes/feedback/*/{args.quiz}/")
    return 0


@_reported
def cmd_export(args: argparse.Namespace) -> int:
    """Export grades to CSV: ours (with a status per student), or an LMS gradebook's."""
    from peaceops.grading import lms_csv, results

    if args.format == "peaceops":
        path = results.export(_root(args), args.quiz, args.out)
        print(f"Grades of {args.quiz}: {path}")
        return 0
    done = lms_csv.export(_root(args), args.quiz, args.format, args.out, args.per_question,
                          args.student_id, args.assignment_id)  # fmt: skip
    print(f"Grades of {args.quiz} for the {args.format.title()} gradebook: {done.path} "
          f"({done.scored} scored, {len(done.empty)} left empty)")  # fmt: skip
    for student, why in done.empty:
        print(f"  empty (no score, not 0): {student} - {why}")
    for what, why in done.left_out:
        print(f"  not in the file (no student id): {what} - {why}")
    return 0


@_reported
def cmd_analyse(args: argparse.Namespace) -> int:
    """Write the item analysis."""
    from peaceops.grading import results

    table, chart, notes = results.analyse_items(_root(args), args.quiz)
    print(f"Item analysis of {args.quiz}: {table} and {chart}")
    for note in notes:
        print(f"  {note}")
    return 0


@_reported
def cmd_certificates(args: argparse.Namespace) -> int:
    """Write a certificate for every student who passed."""
    from peaceops.grading import certificates

    issued = certificates.issue(_root(args), args.quiz, args.out)
    for c in issued:
        done = f"  {c.code}  {c.path}" if c.path else ""
        print(f"  {c.student:20} {c.score:g}/{c.max_score:g} ({c.percent:.0f} %) {c.status}{done}")
    passed = sum(1 for c in issued if c.path)
    print(f"{passed} certificate(s) of {len(issued)} graded; "
          f"quizzes/reports/{args.quiz}-certificates.csv lists everyone")  # fmt: skip
    return 0


@_reported
def cmd_verify(args: argparse.Namespace) -> int:
    """Check a certificate's code against the gradebook."""
    from peaceops.grading import certificates

    found = certificates.verify(_root(args), args.code)
    if found is None:
        print(f"{args.code}: no certificate of this gradebook has this code.")
        return 1
    cert, quiz_obj = found
    print(f"{args.code}: valid. {cert.name} ({cert.student}) passed {quiz_obj.title} with "
          f"{cert.score:g} of {cert.max_score:g} points on {cert.date}.")  # fmt: skip
    return 0


@_reported
def cmd_example(args: argparse.Namespace) -> int:
    """Write the example class's submissions as an LMS zip."""
    from peaceops.grading import example_class, quizzes, workflow

    root = _root(args)
    quiz = workflow.quiz(root, args.quiz)
    released = workflow.course_dir(root) / "release" / quiz.id / f"{quiz.id}.ipynb"
    if not released.exists():
        workflow.release(root, quiz.id, progress=_say)
    out = args.out or Path(f"{quiz.id}-example-class.zip")
    example_class.write_zip(quiz, released, out, quizzes.data_counts(quiz))
    print(f"Wrote {out}: {len(example_class.STUDENTS) + 1} submissions of an example class. "
          f"Next: peaceops quiz collect {quiz.id} --zip {out}")  # fmt: skip
    return 0


@_reported
def cmd_restore(args: argparse.Namespace) -> int:
    """Restore the last good gradebook."""
    from peaceops.grading import workflow

    kept = gradebook.restore(workflow.db_path(_root(args)))
    print(f"Restored the last good gradebook; the damaged file is kept as {kept}.")
    return 0


def add_quiz_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``peaceops quiz`` and its sub-commands to the ``peaceops`` parser."""
    top = sub.add_parser("quiz", help="the graded quizzes: release, collect, grade, report")
    steps = top.add_subparsers(dest="step", required=True)

    def step(name: str, func, help_text: str, quiz: bool = True) -> argparse.ArgumentParser:
        p = steps.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--root", type=Path, default=None, help="the course checkout")
        p.add_argument(
            "--pool",
            type=Path,
            action="append",
            metavar="DIR",
            help="a private assessment pool (a folder of question files; repeatable)",
        )
        p.add_argument("--pool-mode", choices=("add", "replace"),
                       help="add to the sample pool (default) or replace it")  # fmt: skip
        if quiz:
            p.add_argument("quiz", help="the quiz id (see 'peaceops quiz list')")
        p.set_defaults(func=func)
        return p

    p = step("list", cmd_list, "list the quizzes", quiz=False)
    p.add_argument("--blueprint", action="store_true",
                   help="each quiz's objectives by level and points; what falls short")  # fmt: skip
    p = step("release", cmd_release, "generate a quiz from the bank; make the student copy")
    p.add_argument("--exchange", action="store_true", help="also release to the nbgrader exchange")
    p = step("collect", cmd_collect, "collect submissions (an LMS zip or the exchange)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--zip", type=Path, help="the zip of submissions your LMS downloaded")
    source.add_argument("--exchange", action="store_true", help="collect from the exchange")
    p.add_argument("--pattern", default=collect.DEFAULT_PATTERN,
                   help="regex with a (?P<student>...) group, matched on each file's path "
                        "in the zip (default: the text before the first '_' or '/')")  # fmt: skip
    p = step("autograde", cmd_autograde, "autograde the collected submissions")
    p.add_argument("--student", help="only these students (comma-separated ids)")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="submissions graded at once (default: one per core; 1 = no pool)",
    )
    p.add_argument(
        "--resume", action="store_true", help="grade only what an interrupted run left ungraded"
    )
    p.add_argument("--dask", metavar="ADDRESS",
                   help="grade on a Dask cluster (tcp://scheduler:8786), or 'local' for a "
                        "LocalCluster; every worker needs the course folder and the "
                        "gradebook (PEACEOPS_DB_URL) at the same paths")  # fmt: skip
    p = step("formgrade", cmd_formgrade, "open nbgrader's formgrader to mark written answers",
             quiz=False)  # fmt: skip
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("--port", type=int, default=None, help="port to listen on")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show the server's log here (default: quizzes/reports/formgrade.log)",
    )
    p = step("mark", cmd_mark, "record a manual mark for one item of one student")
    p.add_argument("student", help="the student id")
    p.add_argument("item", help="the item: q13, or the bank question id")
    p.add_argument("points", type=float, help="the points awarded")
    p.add_argument("--comment", default="", help="a comment the student sees in the feedback")
    p = step("feedback", cmd_feedback, "write HTML feedback for every graded student")
    p.add_argument("--exchange", action="store_true", help="also return it through the exchange")
    p = step("export", cmd_export, "export the grades as CSV (ours, or an LMS gradebook's)")
    p.add_argument("--out", type=Path, default=None, help="the CSV file to write")
    p.add_argument("--format", choices=("peaceops", "canvas", "moodle"), default="peaceops",
                   help="peaceops: our CSV with a status per student (default); canvas or "
                        "moodle: the file that LMS's gradebook imports")  # fmt: skip
    p.add_argument("--per-question", action="store_true",
                   help="(canvas, moodle) also one column per question")  # fmt: skip
    p.add_argument("--student-id", choices=("login", "sis"), default="login",
                   help="(canvas, moodle) what nbgrader's student ids are: LMS logins "
                        "(default; Canvas SIS Login ID, Moodle username) or student numbers "
                        "(Canvas SIS User ID, Moodle ID number)")  # fmt: skip
    p.add_argument(
        "--assignment-id",
        default=None,
        help="(canvas) the Canvas assignment's id (the number in its address); "
        "without it Canvas matches the quiz title or makes a new assignment",
    )
    step("analyse", cmd_analyse, "item analysis: difficulty, discrimination, wrong answers")
    p = step(
        "certificates",
        cmd_certificates,
        "write a PDF certificate for every student who passed (a quiz with a pass mark)",
    )
    p.add_argument("--out", type=Path, default=None, help="the folder to write them to")
    p = step("verify", cmd_verify, "check a certificate's verification code", quiz=False)
    p.add_argument("code", help="the code printed on the certificate (XXXX-XXXX-XXXX)")
    p = step("example-class", cmd_example, "write an example class's submissions (an LMS zip)")
    p.add_argument("--out", type=Path, default=None, help="the zip to write")
    step("restore-gradebook", cmd_restore, "put back the last good copy of the gradebook",
         quiz=False)  # fmt: skip
