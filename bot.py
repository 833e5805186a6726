"""StudyBot entry point.

python bot.py                 run on Discord (needs DISCORD_TOKEN)
python bot.py console         offline console over the same core
python bot.py ask [--json] "QUERY"   answer one query (or one per stdin line with --json)
python bot.py check [--json] [--bank]  validate knowledge/ and the question bank (--bank: the full report)
python bot.py import NOTES.md --subject ID --week N [--out DIR]   draft topic YAML from Markdown notes
python bot.py export-questions --guild ID [--out FILE]   a guild's approved member questions as bank YAML
python bot.py import-csv FILE --subject ID [--out FILE]   a CSV of questions as bank YAML (every row checked)

SIGTERM and SIGINT stop the bot or the console gracefully (queued answers written, the database
closed, exit 0); SIGHUP reloads knowledge/ in a running bot.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from studybot.config import Settings

if TYPE_CHECKING:
    from studybot.lookup import KnowledgeBase


def _reconfigure_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")


def graceful(main: Callable[[asyncio.Event], Awaitable[int]]) -> int:
    """Run ``main(stop)``; SIGTERM and SIGINT set ``stop`` instead of killing the process."""

    async def runner() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        return await main(stop)

    return asyncio.run(runner())


def cmd_check(settings: Settings, as_json: bool, bank: bool = False) -> int:
    """Validate knowledge/ and hold the question bank to its bar; 1 on any problem or bank failure.

    Whatever the files hold, this prints its report (the JSON object with --json) and returns.
    """
    from studybot.lookup import KnowledgeBase, Problem, bank_report, check, render_bank
    from studybot.messages import t

    try:
        kb, problems = check(settings.knowledge_dir)
    except Exception as exc:  # check reports every file problem itself; this is a last resort
        kb = KnowledgeBase()
        problems = [Problem(str(settings.knowledge_dir), 1, "(check)", t("knowledge.internal", error=repr(exc)[:200]))]
    report = bank_report(kb)
    out = {
        "topics": len(kb.topics),
        "sections": len(kb.sections),
        "questions": len(kb.questions),
        "errors": [str(p) for p in problems],
        "warnings": glossary_warnings(kb),
        "bank": report.to_json(),
    }
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        from studybot.lookup.knowledge import draft_files

        for problem in problems:
            print(problem)
        for warning in out["warnings"]:
            print(warning)
        for failure in report.failures:
            print(failure)
        if bank:
            print()
            print(render_bank(report, kb))
            print()
        status = t("check.errors", count=len(problems)) if problems else t("check.ok")
        if report.failures:
            status += ", " + t("check.bank_failed", count=len(report.failures))
        print(
            t(
                "check.summary",
                topics=out["topics"],
                sections=out["sections"],
                questions=out["questions"],
                status=status,
            )
        )
        drafts = draft_files(settings.knowledge_dir)
        if drafts:
            names = ", ".join(str(p.relative_to(settings.knowledge_dir)) for p in drafts)
            print(t("check.drafts", count=len(drafts), files=names))
    return 1 if problems or report.failures else 0


def glossary_warnings(kb: KnowledgeBase) -> list[str]:
    """Glossary entries that read as an earlier group's word (search keeps the earlier meaning), or
    as no word or only some of their words (search ignores them)."""
    from studybot.lookup.search import glossary_keys, shared_analyzer
    from studybot.messages import t

    _, conflicts = glossary_keys(kb.synonyms, shared_analyzer())
    return [
        t("check.glossary_conflict", where=kb.synonym_places[c.group], entry=c.entry, held=c.held.lstrip("~"))
        if c.held
        else t("check.glossary_partial", where=kb.synonym_places[c.group], entry=c.entry, reads=c.reads)
        if c.reads
        else t("check.glossary_empty", where=kb.synonym_places[c.group], entry=c.entry)
        for c in conflicts
    ]


def cmd_import(settings: Settings, notes: str, subject: str, week: int, out: str | None) -> int:
    """Draft topic files from Markdown notes; never overwrites a file (see studybot/lookup/importer.py)."""
    from studybot.lookup import check
    from studybot.lookup.importer import NotesError, existing_in, import_notes, read_notes, summary, write_drafts
    from studybot.messages import t

    out_dir = Path(out) if out else settings.knowledge_dir
    started = time.perf_counter()
    try:
        text = read_notes(notes)
        result = import_notes(text, Path(notes).name, subject, week, existing_in(out_dir, subject))
        written = write_drafts(result, out_dir)
    except NotesError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(t("import.unreadable", file=exc.filename or out_dir, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    kb, problems = check(out_dir)
    seconds = time.perf_counter() - started
    for line in summary(result, written, out_dir):
        print(line)
    if problems:
        print(t("import.summary.check_failed", count=len(problems)))
        for problem in problems:
            print(f"  {problem}")
    else:
        print(t("import.summary.check_ok", topics=len(kb.topics), sections=len(kb.sections)))
    print(t("import.summary.time", seconds=seconds))
    print(t("import.summary.next"))
    return 1 if problems else 0


def cmd_export_questions(settings: Settings, guild_id: int, out: str | None) -> int:
    """A guild's approved member questions as bank YAML (stdout, or a new file)."""
    from studybot.app import App
    from studybot.messages import t

    found: list[tuple[str, int]] = []

    async def main(stop: asyncio.Event) -> int:
        async with await App.open(settings, ask=_service(settings)) as app:
            found.append(await app.community.bank_yaml(guild_id))
        return 0

    status = graceful(main)
    if status or not found:
        return status or 1
    text, count = found[0]
    if out is None:
        print(text, end="")
        return 0
    path = Path(out)
    if path.exists():
        print(t("community.csv_exists", file=path), file=sys.stderr)
        return 1
    path.write_text(text, encoding="utf-8")
    print(t("community.exported", file=path, count=count), file=sys.stderr)
    return 0


def cmd_import_csv(settings: Settings, csv_file: str, subject: str, out: str | None) -> int:
    """A CSV of questions (prompt, options, answer, explanation, section, ...) as bank YAML. Every
    row is checked by the bank's rules; on any error nothing is written and every problem is
    printed as ``FILE:line: column: message``."""
    from studybot.community import bank_yaml, csv_questions
    from studybot.lookup import check
    from studybot.messages import t

    source = Path(csv_file)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        print(t("import.unreadable", file=source, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    kb = _service(settings, questions=False).kb
    if subject not in kb.subjects:
        known = ", ".join(sorted(kb.subjects)) or "-"
        print(t("community.csv_unknown_subject", subject=subject, subjects=known), file=sys.stderr)
        return 2
    questions, problems = csv_questions(source.name, raw, kb)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(t("community.csv_failed", file=source.name, count=len(problems)), file=sys.stderr)
        return 1
    path = Path(out) if out else settings.knowledge_dir / subject / "questions" / f"{source.stem}.yaml"
    if path.exists():
        print(t("community.csv_exists", file=path), file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        bank_yaml(questions, f"# python bot.py import-csv {source.name} --subject {subject}"), encoding="utf-8"
    )
    print(t("community.csv_written", file=path, count=len(questions), source=source.name))
    if path.is_relative_to(settings.knowledge_dir):
        _, after = check(settings.knowledge_dir)
        for problem in after:
            print(f"  {problem}")
        return 1 if after else 0
    return 0


def _service(settings: Settings, *, questions: bool = True):
    from studybot.lookup import AskService, KnowledgeError, load

    try:
        return AskService(load(settings.knowledge_dir, questions=questions))
    except KnowledgeError as exc:
        print("지식 파일에 오류가 있습니다 (python bot.py check 로 확인):", file=sys.stderr)
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


def input_lines(stream: BinaryIO) -> Iterator[tuple[int, str | None]]:
    """(line number, text) of each input line; text is None for a line that is not UTF-8.
    UTF-16 input (with its byte-order mark) is decoded as a whole."""
    data = stream.read()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield from enumerate(data.decode("utf-16", errors="replace").splitlines(), 1)
        return
    raws = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    if raws and raws[-1] == b"":
        raws.pop()  # the newline that ends the last line
    for n, raw in enumerate(raws, 1):
        try:
            yield n, raw.decode("utf-8").removesuffix("\r")
        except UnicodeDecodeError:
            yield n, None


def cmd_ask(settings: Settings, query: str | None, as_json: bool) -> int:
    from studybot.lookup import render_text
    from studybot.messages import t

    service = _service(settings, questions=False)  # a look-up reads the notes only
    if query is None:
        if not as_json:
            print('질문을 주세요: python bot.py ask "efs 처리량"', file=sys.stderr)
            return 2
        for n, line in input_lines(sys.stdin.buffer):
            if line is None:
                out: dict = {"line": n, "error": t("ask.not_utf8")}
            else:
                out = service.ask(line).to_json(service.kb)
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    answer = service.ask(query)
    if as_json:
        print(json.dumps(answer.to_json(service.kb), ensure_ascii=False))
    elif sys.stdout.isatty():  # a person reads it: drawn as the console draws it, no **
        from console.markdown import for_terminal

        print(for_terminal(render_text(answer), sys.stdout))
    else:  # a script or a pipe reads the Markdown as Discord would get it
        print(render_text(answer))
    return 0


def cmd_console(settings: Settings) -> int:
    from console.console import Console
    from studybot.app import App

    async def main(stop: asyncio.Event) -> int:
        async with await App.open(settings, ask=_service(settings)) as app:
            return await Console(app).run(stop=stop)

    return graceful(main)


def cmd_run(settings: Settings) -> int:
    from studybot.messages import t

    if not settings.token:
        print(t("bot.no_token"), file=sys.stderr)
        if sys.stdin.isatty():  # a person at a terminal: let them try the bot offline right away
            print(t("bot.console_instead"), file=sys.stderr)
            return cmd_console(settings)
        return 2
    from cogs.runtime import run

    return graceful(lambda stop: run(settings, stop))


def main(argv: list[str] | None = None) -> int:
    _reconfigure_stdio()
    parser = argparse.ArgumentParser(prog="bot.py", description="StudyBot")
    sub = parser.add_subparsers(dest="command")
    p_check = sub.add_parser("check", help="validate knowledge/")
    p_check.add_argument("--json", action="store_true")
    p_check.add_argument("--bank", action="store_true", help="also print the question bank report")
    p_ask = sub.add_parser("ask", help="answer a query")
    p_ask.add_argument("--json", action="store_true")
    p_ask.add_argument("query", nargs="?")
    sub.add_parser("console", help="offline console")
    p_import = sub.add_parser("import", help="draft topic YAML from Markdown notes")
    p_import.add_argument("notes", help="the Markdown notes file")
    p_import.add_argument("--subject", required=True, help="subject id, e.g. aws-saa")
    p_import.add_argument("--week", required=True, type=int, help="week number of the notes")
    p_import.add_argument("--out", help="knowledge folder to write into (default: knowledge/)")
    p_export = sub.add_parser("export-questions", help="a guild's approved member questions as bank YAML")
    p_export.add_argument("--guild", required=True, type=int, help="the Discord server (guild) id")
    p_export.add_argument("--out", help="a new file to write (default: standard output)")
    p_csv = sub.add_parser("import-csv", help="a CSV of questions as bank YAML")
    p_csv.add_argument("csv_file", help="the CSV file (UTF-8, UTF-8 with BOM, UTF-16 or CP949)")
    p_csv.add_argument("--subject", required=True, help="subject id, e.g. aws-saa")
    p_csv.add_argument("--out", help="the YAML file to write (default: knowledge/<subject>/questions/<name>.yaml)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "check":
        return cmd_check(settings, args.json, args.bank)
    if args.command == "ask":
        return cmd_ask(settings, args.query, args.json)
    if args.command == "console":
        return cmd_console(settings)
    if args.command == "import":
        return cmd_import(settings, args.notes, args.subject, args.week, args.out)
    if args.command == "export-questions":
        return cmd_export_questions(settings, args.guild, args.out)
    if args.command == "import-csv":
        return cmd_import_csv(settings, args.csv_file, args.subject, args.out)
    return cmd_run(settings)


if __name__ == "__main__":
    raise SystemExit(main())
