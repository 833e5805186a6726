"""StudyBot entry point.

python bot.py                 run on Discord (needs DISCORD_TOKEN)
python bot.py console         offline console over the same core
python bot.py ask [--json] "QUERY"   answer one query (or one per stdin line with --json)
python bot.py check [--json] [--bank]  validate knowledge/ and the question bank (--bank: the full report)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from studybot.config import Settings


def _reconfigure_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


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
        "bank": report.to_json(),
    }
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
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
    return 1 if problems or report.failures else 0


def _service(settings: Settings):
    from studybot.lookup import AskService, KnowledgeError, load

    try:
        return AskService(load(settings.knowledge_dir))
    except KnowledgeError as exc:
        print("지식 파일에 오류가 있습니다 (python bot.py check 로 확인):", file=sys.stderr)
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


def cmd_ask(settings: Settings, query: str | None, as_json: bool) -> int:
    from studybot.lookup import render_text

    service = _service(settings)
    if query is None:
        if not as_json:
            print('질문을 주세요: python bot.py ask "efs 처리량"', file=sys.stderr)
            return 2
        for line in sys.stdin:
            answer = service.ask(line.rstrip("\n"))
            print(json.dumps(answer.to_json(service.kb), ensure_ascii=False), flush=True)
        return 0
    answer = service.ask(query)
    print(json.dumps(answer.to_json(service.kb), ensure_ascii=False) if as_json else render_text(answer))
    return 0


def cmd_console(settings: Settings) -> int:
    from console.console import Console
    from studybot.app import App

    async def main() -> int:
        async with await App.open(settings, ask=_service(settings)) as app:
            return await Console(app).run()

    return asyncio.run(main())


def cmd_run(settings: Settings) -> int:
    from studybot.messages import t

    if not settings.token:
        print(t("bot.no_token"), file=sys.stderr)
        if sys.stdin.isatty():  # a person at a terminal: let them try the bot offline right away
            print(t("bot.console_instead"), file=sys.stderr)
            return cmd_console(settings)
        return 2
    from cogs.runtime import run

    return asyncio.run(run(settings))


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
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "check":
        return cmd_check(settings, args.json, args.bank)
    if args.command == "ask":
        return cmd_ask(settings, args.query, args.json)
    if args.command == "console":
        return cmd_console(settings)
    return cmd_run(settings)


if __name__ == "__main__":
    raise SystemExit(main())
