"""Every sentence a member reads, in one place per language (Korean first).

``t("ask.nothing", query=...)`` formats a message; a second language is one more dict.
"""

from __future__ import annotations

KO: dict[str, str] = {
    # /ask
    "ask.empty": "무엇을 찾을지 알려 주세요. 예: `/ask efs 처리량 모드`",
    "ask.too_long": "질문이 너무 길어요 ({length}자). {limit}자 이내로 핵심 단어만 적어 주세요.",
    "ask.no_words": "검색할 단어를 찾지 못했어요. 글자로 된 키워드를 적어 주세요. 예: `보안그룹 아웃바운드`",
    "ask.did_you_mean": "「{query}」에 딱 맞는 내용은 확실하지 않아요. 혹시 이걸 찾으셨나요?",
    "ask.nothing": "「{query}」에 대한 내용은 아직 노트에 없어요.",
    "ask.nothing_hint": "지금 다루는 주제: {topics}",
    "ask.related": "관련 내용",
    "ask.suggestions": "이런 건 어때요?",
    "ask.path": "위치",
    "ask.footer": "출처: 스터디 노트 (오류 정정 반영)",
    "ask.unknown_section": "그 섹션은 더 이상 없어요. `/ask`로 다시 찾아 주세요.",
    "ask.cooldown": "잠시만요! {seconds:.0f}초 뒤에 다시 물어봐 주세요.",
    # generic
    "error.generic": "처리 중 문제가 생겼어요. 잠시 뒤 다시 시도해 주세요.",
    "error.no_permission": "이 명령은 서버 관리(Manage Server) 권한이 있어야 쓸 수 있어요.",
    "error.guild_only": "이 명령은 서버 안에서만 쓸 수 있어요.",
    "error.owner_only": "봇 소유자만 쓸 수 있는 명령이에요.",
    # console
    "console.welcome": "StudyBot 오프라인 콘솔입니다. `/help`로 명령을 보고 `/quit`으로 끝냅니다.",
    "console.help": "명령:\n  /ask 질문      노트에서 찾기 (예: /ask efs 처리량)\n  /help          도움말\n  /quit          종료",
    "console.unknown": "모르는 명령이에요: {command}. `/help`를 입력해 보세요.",
    "console.bye": "안녕히 가세요!",
    # bot start
    "bot.no_token": (
        "DISCORD_TOKEN이 설정되지 않았습니다. .env 파일이나 환경 변수에 토큰을 넣거나,\n"
        "토큰 없이 써 보려면 오프라인 콘솔을 실행하세요: python bot.py console"
    ),
    "sync.done": "명령 {count}개를 {where}에 동기화했어요.",
    "sync.global": "전체(글로벌)",
    "sync.guild": "이 서버",
}

LANGUAGES = {"ko": KO}


def t(key: str, lang: str = "ko", **kwargs: object) -> str:
    table = LANGUAGES.get(lang, KO)
    template = table.get(key) or KO[key]
    return template.format(**kwargs) if kwargs else template


# Command names and descriptions: English is the default Discord shows, Korean the localisation.
COMMANDS_KO: dict[str, str] = {
    "Look up the study notes": "스터디 노트에서 찾아보기",
    "What to look up, e.g. efs throughput": "찾을 내용 (예: efs 처리량 모드)",
    "Owner only: sync slash commands": "봇 소유자 전용: 슬래시 명령 동기화",
    "Sync to this server only (faster)": "이 서버에만 동기화 (빠름)",
}
