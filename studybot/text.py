"""Text normalisation shared by search and answer judging.

Korean is compared at the jamo level: ``unicodedata.normalize("NFD")`` splits a Hangul syllable
into its leading consonant, vowel and optional final consonant, so one mistyped jamo costs one
edit instead of a whole syllable.
"""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TOKEN = re.compile(r"[0-9a-z]+(?:[.\-][0-9a-z]+)*|[\uac00-\ud7a3]+|[\u3131-\u318e]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SPLIT_SCRIPTS = re.compile(r"(?<=[0-9a-z])(?=[\uac00-\ud7a3])|(?<=[\uac00-\ud7a3])(?=[0-9a-z])")

# Korean particles and copulas a member glues to a term ("EFS는", "보안그룹에서", "롤이란").
# Longest first so "에서" is tried before "에" and "이랑" before "랑".
PARTICLES = sorted(
    [
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "에",
        "에서",
        "에게",
        "께",
        "한테",
        "으로",
        "로",
        "의",
        "와",
        "과",
        "도",
        "만",
        "랑",
        "이랑",
        "하고",
        "까지",
        "부터",
        "보다",
        "이란",
        "란",
        "이라",
        "라",
        "이라는",
        "라는",
        "이야",
        "야",
        "이에요",
        "예요",
        "인가",
        "인가요",
        "인데",
        "이나",
        "나",
        "든지",
        "처럼",
        "같이",
        "마다",
        "으로는",
        "로는",
        "에는",
        "에서는",
        "와는",
        "과는",
        "이랑은",
        "이면",
        "면",
        "이죠",
        "죠",
        "이지",
        "지",
    ],
    key=len,
    reverse=True,
)
_PARTICLE_SET = frozenset(PARTICLES)


# what a chat client writes for a mention, a channel, a role, a custom emoji or a timestamp:
# <@123>, <@!123>, <@&123>, <#123>, <:name:123>, <a:name:123>, <t:1700000000:R>
_CHAT_MARKUP = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::[a-zA-Z])?)>")


def without_markup(text: str) -> str:
    """``text`` without the chat client's markup for mentions, channels, emoji and timestamps."""
    return _CHAT_MARKUP.sub(" ", text) if "<" in text else text


def clean(text: str) -> str:
    """NFKC, drop zero-width characters, lowercase, collapse white space."""
    text = unicodedata.normalize("NFKC", text).translate(ZERO_WIDTH).lower()
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Words of ``text``: Latin/digit runs and Hangul runs, split where the script changes."""
    text = _SPLIT_SCRIPTS.sub(" ", clean(text))
    return _TOKEN.findall(text)


_DIGIT_FINAL = {
    "0": True,
    "1": True,
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": True,
    "8": True,
    "9": False,
}


def topic_particle(word: str) -> str:
    """은 or 는 after ``word``, by whether its last syllable (or digit, read in Korean: 3 is 삼)
    ends in a consonant; 은(는) after a Latin letter, whose reading depends on the word."""
    last = word.rstrip()[-1:]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28 != 0
    elif last in _DIGIT_FINAL:
        final = _DIGIT_FINAL[last]
    else:
        return "은(는)"
    return "은" if final else "는"


def is_hangul(token: str) -> bool:
    return bool(_HANGUL.search(token))


def strip_particle(token: str, known: frozenset[str] | set[str] | dict = frozenset(), *, loose: bool = False) -> str:
    """``보안그룹에서`` -> ``보안그룹``; stacked particles too (``그룹에만`` -> ``그룹``).

    A word in ``known`` is kept whole (``한도`` is not ``한`` + ``도``) and a known stem wins;
    otherwise a one-syllable particle is only stripped from a stem of two or more syllables,
    unless ``loose`` (a member's query: ``키로`` -> ``키``).
    """
    stripped = _strip_once(token, known, loose)
    if stripped != token:  # a second, stacked particle only comes off a longer stem
        stripped = _strip_once(stripped, known, False)
    return stripped


def _strip_once(token: str, known, loose: bool) -> str:
    if not is_hangul(token) or token in known:
        return token
    for particle in PARTICLES:
        if token.endswith(particle):
            stem = token[: -len(particle)]
            if stem in known:
                return stem
    for particle in PARTICLES:
        stem = token[: -len(particle)]
        if token.endswith(particle) and len(stem) >= (1 if loose or len(particle) > 1 else 2):
            return stem
    return token


def words(text: str, known: frozenset[str] | set[str] | dict = frozenset(), *, loose: bool = False) -> list[str]:
    """Tokens with particles stripped; a particle left alone by a script change (``EFS는``) goes."""
    return [strip_particle(t, known, loose=loose) for t in tokens(text) if t not in _PARTICLE_SET]


def jamo(text: str) -> str:
    """Hangul syllables decomposed to jamo; other characters unchanged."""
    return unicodedata.normalize("NFD", text)


def squash(text: str) -> str:
    """Comparable key for short answers and aliases: no spaces, punctuation or particles."""
    return jamo("".join(words(text)))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def user_text(text: str | None, limit: int = 200) -> str:
    """What a member typed, made safe to store and show: NUL and other control characters go
    (PostgreSQL refuses NUL in text), tabs and newlines stay, then trimmed to ``limit``."""
    return _CONTROL.sub("", text or "").strip()[:limit]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): a leading ``'`` neutralises
    cells that begin with = + - @ TAB or CR."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell
