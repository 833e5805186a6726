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
    "ask.vague": "「{query}」만으로는 무엇을 찾는지 알기 어려워요. 궁금한 주제의 단어를 넣어 주세요. 예: `/ask efs 처리량 모드`",
    "ask.not_covered": "「{term}」{particle} 아직 노트에서 다루지 않아요.",
    "ask.alternatives": "혹시 이쪽일까요",
    "ask.compare_title": "{a} vs {b}",
    "ask.nothing_hint": "지금 다루는 주제: {topics}",
    "ask.related": "관련 내용",
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
    "bot.console_instead": "토큰이 없으니 오프라인 콘솔로 시작합니다.\n",
    "bot.bad_token": "Discord가 토큰을 받아 주지 않았어요. .env의 DISCORD_TOKEN을 다시 확인해 주세요.",
    "bot.members_intent": (
        "Server Members Intent가 꺼져 있어요. 개발자 포털의 Bot 탭에서 켜거나, "
        "MEMBERS_INTENT=0으로 실행하세요 (이름과 팀 순위가 제한돼요)."
    ),
    "setting.bad_zone": "'{name}'은(는) 알 수 없는 시간대예요. IANA 이름으로 골라 주세요 (예: Asia/Seoul, America/New_York).",
    "setting.bad_time": "'{text}'은(는) 알 수 없는 시각이에요. 24시간 형식으로 적어 주세요 (예: 09:00, 21:30).",
    "quiz.true_line": "O: 맞다",
    "quiz.false_line": "X: 틀리다",
    "quiz.short_count": "`{choice}` — {count}명",
    "quiz.choice_count": "{name}: {count}명 ({share}%)",
    "console.short_hint": "(/answer 뒤에 답을 적어 주세요)",
    "console.me": "콘솔 사용자",
    "ask.not_utf8": "UTF-8이 아닌 줄이라 건너뛰었어요",
    "bot.unreachable": "Discord에 연결할 수 없어요 ({error}). 네트워크를 확인하고 다시 시작해 주세요.",
    "reload.done": "지식 파일을 다시 읽었어요: 섹션 {sections}개, 문제 {questions}개.",
    "reload.failed": "지식 파일에 오류가 {count}개 있어 다시 읽지 않았어요 (지금 쓰는 내용은 그대로예요):\n{errors}",
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

KO.update(
    {
        # quiz: setup and admin
        "quiz.setup_done": "매일 {time} ({timezone})에 {channel}에 문제를 올릴게요. 다음 문제: {next}",
        "quiz.not_setup": "아직 퀴즈가 설정되지 않았어요. 관리자가 `/quiz-admin setup`으로 채널과 시간을 정해 주세요.",
        "quiz.paused": "퀴즈를 일시 정지했어요. `/quiz-admin resume`으로 다시 시작할 수 있어요.",
        "quiz.resumed": "퀴즈를 다시 시작했어요. 다음 문제: {next}",
        "quiz.reveal_set": "정답 공개 방식을 '{mode}'(으)로 바꿨어요.",
        "quiz.close_set": "문제 마감: {when}",
        "quiz.close_next": "다음 문제가 올라올 때",
        "quiz.close_hour": "매일 {hour:02d}:00 (현지 시각)",
        "quiz.now_posted": "문제를 올렸어요: {link}",
        "quiz.now_failed": "문제를 올리지 못했어요: {reason}",
        "quiz.settings": (
            "**퀴즈 설정**\n채널: {channel}\n시간: 매일 {time} ({timezone})\n상태: {state}\n"
            "정답 공개: {mode}\n마감: {close}\n다음 문제: {next}{error}"
        ),
        "quiz.state_on": "진행 중",
        "quiz.state_paused": "일시 정지",
        "quiz.last_error": "\n⚠️ 최근 오류: {error}",
        "quiz.mode.at-close": "마감 때 공개 (at-close)",
        "quiz.mode.immediate": "누르면 바로 알려 주기 (immediate)",
        "quiz.post_failed_dm": (
            "⚠️ {guild} 서버의 오늘 퀴즈를 {channel}에 올리지 못했어요 ({reason}).\n"
            "채널이 있는지, 봇에게 '메시지 보내기'와 '링크 첨부' 권한이 있는지 확인한 뒤 `/quiz-admin now`로 올릴 수 있어요. 일정은 그대로 유지돼요."
        ),
        "quiz.reason.forbidden": "권한이 없어요",
        "quiz.reason.not_found": "채널을 찾을 수 없어요",
        "quiz.reason.interrupted": "보내는 중에 봇이 멈췄고, 그날이 지나 다시 보내지 않았어요",
        "quiz.bad_reveal_mode": "공개 방식은 at-close 또는 immediate 중 하나예요.",
        "quiz.bad_close_hour": "마감 시각은 0~23시 중 하나로 정해 주세요.",
        "quiz.finish_none": "지금 진행 중인 문제가 없어요.",
        "quiz.finish_done": "문제를 마감하고 정답을 공개했어요.",
        # quiz: the post
        "quiz.daily_title": "📝 오늘의 문제 · {topic}",
        "quiz.practice_title": "🏋️ 연습 문제 · {topic}",
        "quiz.review_title": "🔁 복습 문제 · {topic}",
        "quiz.difficulty": "난이도 {stars}",
        "quiz.footer_at_close": "버튼을 눌러 답하세요. 정답은 마감 때 공개돼요. ({close} 마감)",
        "quiz.footer_immediate": "버튼을 눌러 답하세요. 누르면 바로 정답 여부를 알려 드려요. ({close} 마감)",
        "quiz.footer_at_close_multi": "메뉴에서 답을 골라 제출하세요. 정답은 마감 때 공개돼요. ({close} 마감)",
        "quiz.footer_immediate_multi": "메뉴에서 답을 골라 제출하세요. 제출하면 바로 정답 여부를 알려 드려요. ({close} 마감)",
        "quiz.short_button": "답 입력하기",
        "quiz.modal_title": "답 입력",
        "quiz.modal_label": "정답 (한 단어나 짧은 구)",
        # quiz: answering
        "quiz.recorded": "'{choice}'(으)로 답을 기록했어요. 정답은 마감 때 공개돼요!",
        "quiz.right": "✅ 정답이에요! '{choice}'",
        "quiz.wrong": "❌ 아쉬워요. 고른 답: '{choice}' · 정답: '{answer}'",
        "quiz.already": "이미 '{choice}'(으)로 답했어요. 첫 답만 기록되고 바꿀 수 없어요.",
        "quiz.closed": "이 문제는 마감됐어요. 다음 문제를 기다려 주세요!",
        "quiz.missing": "이 문제를 찾을 수 없어요.",
        "quiz.invalid": "그 답은 받을 수 없어요. 다시 골라 주세요.",
        "quiz.expired": (
            "이미 답했거나 오래된 문제라 더 이상 답할 수 없어요(한 문제에는 첫 답만 기록돼요). "
            "`/quiz practice`나 `/quiz review`로 새 문제를 받아 주세요."
        ),
        # quiz: multiple response (pick two or three)
        "quiz.count.1": "한",
        "quiz.count.2": "두",
        "quiz.count.3": "세",
        "quiz.count.4": "네",
        "quiz.count.5": "다섯",
        "quiz.count.6": "여섯",
        "quiz.multi_hint": "☑️ 답을 {count} 개 고르세요. 고른 답이 정답과 모두 같아야 정답이에요.",
        "quiz.multi_placeholder": "보기 {count} 개를 고르세요",
        "quiz.wrong_count": "이 문제는 답을 {count} 개 골라야 해요. 다시 골라 주세요.",
        "quiz.multi_how": "고른 보기 {count} 개를 적어 주세요. 예: `/answer {example}`",
        "quiz.multi_unknown": "'{given}'은(는) 보기에 없어요. {labels} 중에서 골라 주세요.",
        "quiz.multi_twice": "'{given}'을(를) 두 번 골랐어요. 서로 다른 보기 {count} 개를 골라 주세요.",
        "console.multi_hint": "(/answer 뒤에 고른 보기 {count} 개를 적어 주세요. 예: /answer {example})",
        "quiz.explanation": "💡 해설",
        "quiz.review_added": "틀린 문제는 복습 목록에 넣었어요. `/quiz review`로 다시 풀 수 있어요.",
        # quiz: reveal
        "quiz.reveal_title": "✅ 정답 공개 · {topic}",
        "quiz.reveal_answer": "정답",
        "quiz.reveal_stats": "결과",
        "quiz.reveal_counts": "{answered}명 참여 · {right}명 정답",
        "quiz.reveal_none": "아무도 답하지 않았어요.",
        "quiz.source": "노트 보기",
        # practice and review
        "quiz.no_topic": "'{topic}' 주제를 찾을 수 없어요. 목록에서 골라 주세요.",
        "quiz.review_empty": "지금 복습할 문제가 없어요. 다음 복습: {when}",
        "quiz.review_none": "복습할 문제가 없어요. 틀린 문제가 생기면 여기에 모여요!",
        # console
        "console.bad_period": "기간은 {periods} 중 하나예요.",
        "console.no_question": "풀고 있는 문제가 없어요. `/quiz`, `/practice` 또는 `/review`로 문제를 받아 주세요.",
    }
)
KO["console.help"] = (
    "명령:\n"
    "  /ask 질문            노트에서 찾기 (예: /ask efs 처리량)\n"
    "  /quiz                오늘의 문제\n"
    "  /answer 답           보기 글자(A~E, O/X)나 답을 입력\n"
    "  /practice [주제]     연습 문제 (순위에 안 들어가요)\n"
    "  /review              복습할 문제\n"
    "  /help                도움말\n"
    "  /quit                종료"
)

COMMANDS_KO.update(
    {
        "Daily quiz": "매일 퀴즈",
        "Admin: set the quiz channel, time and time zone": "관리자: 퀴즈 채널, 시간, 시간대 설정",
        "Channel for the daily question": "매일 문제를 올릴 채널",
        "Local time, e.g. 09:00": "현지 시각 (예: 09:00)",
        "IANA time zone, e.g. Asia/Seoul": "IANA 시간대 (예: Asia/Seoul)",
        "Admin: pause the daily quiz": "관리자: 매일 퀴즈 일시 정지",
        "Admin: resume the daily quiz": "관리자: 매일 퀴즈 다시 시작",
        "Admin: post a question now": "관리자: 지금 바로 문제 올리기",
        "Show the quiz settings": "퀴즈 설정 보기",
        "Admin: when answers are revealed": "관리자: 정답 공개 방식",
        "at-close (default) or immediate": "at-close (기본) 또는 immediate",
        "Admin: when a question closes": "관리자: 문제 마감 시각",
        "Local hour 0-23; leave empty for when the next question is posted": "현지 시각 0~23시. 비우면 다음 문제가 올라올 때",
        "Practice question (not counted)": "연습 문제 (순위에 포함 안 됨)",
        "Topic": "주제",
        "Review questions you missed": "틀렸던 문제 복습",
    }
)

KO.update(
    {
        "board.title": "🏆 리더보드 · {period}",
        "board.team_title": "🏆 팀 순위 · {period}",
        "board.period.today": "오늘",
        "board.period.week": "이번 주",
        "board.period.month": "이번 달",
        "board.period.season": "시즌: {name}",
        "board.period.all": "전체",
        "board.line": "{rank} {name} — {points}점 · 정답률 {accuracy}% · 🔥{streak}일",
        "board.team_line": "{rank} {name} — 평균 {average:.1f}점 (합계 {points}점, 참여 {active}/{members}명)",
        "board.empty": "아직 이 기간에 답한 사람이 없어요. 오늘의 문제부터 풀어 볼까요?",
        "board.you_none": "아직 이 기간에 답한 기록이 없어요.",
        "board.no_teams": "등록된 팀이 없어요. 관리자가 `/board-admin team-add`로 역할을 팀으로 등록할 수 있어요.",
        "board.page": "{page}/{pages} 쪽",
        "board.no_season": "진행 중인 시즌이 없어요. 관리자가 `/board-admin season`으로 시작할 수 있어요.",
        "board.rank_of": "{rank}위 / {members}명",
        "board.rank_none": "순위 없음",
        "board.export_done": "전체 순위를 CSV로 내보냈어요 ({count}명).",
        "season.started": "새 시즌 '{name}'을(를) 시작했어요! 지난 시즌 기록은 `/leaderboard show period:season season:`으로 볼 수 있어요.",
        "season.taken": "'{name}' 이름의 시즌이 이미 있어요. 다른 이름을 골라 주세요.",
        "season.list": "**시즌 목록**\n{lines}",
        "season.line": "- {name}: {start} ~ {end}",
        "season.running": "진행 중",
        "season.none": "아직 시즌이 없어요.",
        "season.bad_name": "시즌 이름을 적어 주세요.",
        "season.long_name": "시즌 이름은 {limit}자까지예요.",
        "team.added": "{role} 역할을 팀으로 등록했어요.",
        "team.exists": "{role} 역할은 이미 팀이에요.",
        "team.removed": "{role} 팀을 뺐어요. 팀원들의 개인 기록은 그대로예요.",
        "team.missing": "{role} 역할은 팀이 아니에요.",
        "team.list": "**팀 목록**\n{lines}",
        "team.line": "- {role} ({count}명)",
        "stats.alt": "{name}님의 최근 30일 학습량과 주제별 정답률 차트",
        "team.everyone": "@everyone 역할은 팀으로 쓸 수 없어요.",
        "stats.title": "📊 {name}님의 공부 기록",
        "stats.points": "점수: **{points}점** ({rank})",
        "stats.accuracy": "정답률: **{accuracy}%** ({correct}/{answered})",
        "stats.streak": "연속 학습: 🔥 {streak}일 (최고 {best}일)",
        "stats.reviews": "복습할 문제: {due}개",
        "stats.strongest": "강한 주제: {topic} ({accuracy}%, {answered}문제)",
        "stats.weakest": "약한 주제: {topic} ({accuracy}%, {answered}문제)",
        "stats.topics_none": "주제별 정답률은 두 문제 이상 풀면 보여요.",
        "stats.chart_saved": "그래프를 저장했어요: {path}",
        "recap.title": "📅 지난주 결산 ({start} ~ {end})",
        "recap.top": "**이번 주 상위 멤버**",
        "recap.team": "**1위 팀**: {name} (평균 {average:.1f}점, {active}명 참여)",
        "recap.missed": "**가장 많이 틀린 문제** (정답률 {accuracy}%, {answered}명 답함)",
        "recap.answer": "정답: **{answer}**",
        "reset.confirm": "⚠️ 이 서버의 모든 퀴즈 점수(답변 기록)를 지워요. 되돌릴 수 없어요. 계속할까요?",
        "reset.button": "네, 모두 지워요",
        "reset.cancel": "취소",
        "reset.done": "점수를 초기화했어요 (답변 {count}개 삭제).",
        "reset.cancelled": "초기화를 취소했어요. 아무것도 지우지 않았어요.",
    }
)
KO["console.help"] += (
    "\n  /leaderboard [기간]  순위 (today, week, month, season, all)\n  /stats               내 공부 기록과 그래프"
)

COMMANDS_KO.update(
    {
        "Leaderboard": "리더보드",
        "Show the leaderboard": "리더보드 보기",
        "today, week, month, season or all": "today, week, month, season, all 중 하나",
        "members or teams": "멤버 또는 팀",
        "A past season by name": "지난 시즌 이름",
        "Admin: export the standings as CSV": "관리자: 순위를 CSV로 내보내기",
        "Seasons": "시즌",
        "Admin: start a new season": "관리자: 새 시즌 시작",
        "Season name": "시즌 이름",
        "List seasons": "시즌 목록",
        "Teams": "팀",
        "Admin: register a role as a team": "관리자: 역할을 팀으로 등록",
        "Admin: remove a team": "관리자: 팀 빼기",
        "Role": "역할",
        "List teams": "팀 목록",
        "Study stats and a chart": "공부 기록과 그래프",
        "Member (default: you)": "멤버 (기본: 나)",
        "Admin: clear this server's scores": "관리자: 이 서버의 점수 초기화",
        "Admin: daily quiz": "관리자: 오늘의 문제",
        "Owner only: knowledge base": "봇 소유자 전용: 지식 베이스",
        "Owner only: re-read knowledge/ without a restart": "봇 소유자 전용: 재시작 없이 지식 파일 다시 읽기",
        "Admin: leaderboard": "관리자: 리더보드",
        "Admin: close and reveal the current question now": "관리자: 지금 문제를 마감하고 정답 공개",
    }
)

# `python bot.py import`: what the maintainer reads, and the text written into the draft files
KO.update(
    {
        # errors (the file is always named)
        "import.not_utf8": "{file}: UTF-8이 아닌 파일입니다 (byte {byte}). UTF-8로 저장한 뒤 다시 가져오세요.",
        "import.empty": "{file}: 빈 파일입니다. 가져올 내용이 없습니다.",
        "import.no_headings": (
            "{file}: 제목(#)이 하나도 없습니다. 주제는 `# 제목`, 섹션은 `## 제목`으로 나눈 Markdown이어야 합니다."
        ),
        "import.unreadable": "{file}: 파일을 읽을 수 없습니다 ({reason}).",
        "import.bad_subject": "과목 id '{subject}'는 소문자, 숫자, '-'만 쓸 수 있습니다.",
        "import.bad_week": "주차는 1~52 사이의 정수여야 합니다 (지금: {week}).",
        # warnings (shown as notes.md:line: message)
        "import.warn.title_text": "문서 제목 아래의 글은 가져오지 않았습니다: {text}",
        "import.warn.preamble": "첫 제목 앞의 글은 가져오지 않았습니다: {text}",
        "import.warn.nested_heading": "목록이나 인용 안에 들여 쓴 제목도 제목으로 보았습니다: {title}",
        "import.warn.shallow_heading": "주제 단계보다 위의 제목을 주제로 가져왔습니다: {title}",
        "import.warn.folded": "세 단계보다 깊은 제목을 위 섹션의 본문에 굵은 글씨로 넣었습니다: {title} → {parent}",
        "import.warn.empty_heading": "빈 제목(#만 있음)은 건너뛰었습니다",
        "import.warn.no_content": "내용이 없는 제목이라 작성할 초안(draft)으로 만들었습니다: {title}",
        "import.warn.lab": "실습 표시 '(실습)'만 있어 실습 방법 초안(draft)으로 만들었습니다: {title}",
        "import.warn.lab_mixed": "'(실습)' 표시는 본문에서 빼고 실습 방법 초안(draft)을 따로 만들었습니다: {title}",
        "import.warn.html_text": "HTML 블록에서 글자만 남겼습니다: {text}",
        "import.warn.id_taken": "이미 쓰인 id라 번호를 붙였습니다: {wanted} → {id}",
        "import.warn.long_body": "본문이 {limit}자를 넘어 {parts}개 섹션으로 나눴습니다: {title}",
        "import.warn.cut_block": "한 블록이 {limit}자를 넘어 잘랐습니다. 원문을 보고 나눠 주세요: {title}",
        "import.warn.long_title": "제목이 {limit}자를 넘어 줄였습니다: {title}",
        # the draft files
        "import.file_header": (
            "# 초안: `python bot.py import {notes} --subject {subject} --week {week}`로 만들었습니다.\n"
            "# 검토하세요: 사실은 errata(오류 정정)와 대조해 고치고, 제목·aliases·keywords·related를 다듬은 뒤\n"
            "# draft: true 섹션을 채우고 `python bot.py check`로 확인하세요."
        ),
        "import.subject_header": "# 과목 이름(title)을 다듬어 주세요.",
        "import.stub.lab": (
            "TODO(작성자): 노트에는 실습 표시 '(실습)'만 있습니다. 실습 방법을 단계별로 적어 주세요 "
            "(콘솔 경로나 CLI 명령, 결과 확인 방법, 끝난 뒤 정리할 리소스)."
        ),
        "import.stub.empty": (
            "TODO(작성자): 노트에 이 제목 아래 내용이 없습니다. 내용을 쓰거나, 필요 없으면 이 섹션을 지워 주세요."
        ),
        "import.stub.lab_title": "{title} (실습)",
        "import.stub.lab_alias": "{title} 방법",
        # the summary
        "import.summary.head": "{notes} → {out} ({week}주차)",
        "import.summary.doc_title": "문서 제목: {title}",
        "import.summary.counts": (
            "주제 {topics}개, 섹션 {sections}개 (내용 {content}개, 작성할 초안 {stubs}개), 경고 {warnings}개, HTML 제거 {html}곳"
        ),
        "import.summary.topic": "  {status} {file}  '{title}': 섹션 {sections}개{stubs}",
        "import.summary.topic_stubs": ", 초안 {stubs}개",
        "import.status.new": "[새 파일]",
        "import.status.same": "[같음, 그대로]",
        "import.status.draft": "[이미 있음 → 초안]",
        "import.status.subject_new": "[새 파일] {file}",
        "import.draft_written": "    {file}: 이미 있는 파일이라 덮어쓰지 않고 {draft}에 썼습니다 (+{added} -{removed}줄). 다른 점:",
        "import.diff.sections": "    섹션 추가: {added} · 없어짐: {removed} · 내용 바뀜: {changed}",
        "import.diff.more": "    … diff {more}줄 더 (diff -u {file} {draft})",
        "import.diff.none": "없음",
        "import.summary.warnings": "경고:",
        "import.summary.check_ok": "검사 (python bot.py check와 같은 검사): 오류 없음 · 주제 {topics}개, 섹션 {sections}개",
        "import.summary.check_failed": "검사 (python bot.py check와 같은 검사): 오류 {count}개",
        "import.summary.time": "걸린 시간: {seconds:.2f}초",
        "import.summary.next": (
            "다음 단계: 초안을 검토하고, 사실을 errata와 대조해 고치고, draft 섹션을 채운 뒤 "
            "`python bot.py check` → 봇 다시 시작(재로드)."
        ),
        # bot.py check
        "check.drafts": "검토를 기다리는 초안 파일 {count}개 (읽지 않음): {files}",
    }
)

# Knowledge files: what `python bot.py check` and a failed start-up print for the people who write
# the notes and the question bank (file:line: field: message).
KO.update(
    {
        "knowledge.no_folder": "지식 폴더가 없습니다",
        "knowledge.no_subject": "subject.yaml이 없습니다",
        "knowledge.unreadable_folder": "폴더를 읽을 수 없습니다 ({reason})",
        "knowledge.dangling_link": "깨진 심볼릭 링크입니다 (가리키는 파일이 없습니다)",
        "knowledge.unreadable": "파일을 읽을 수 없습니다 ({reason})",
        "knowledge.not_regular": "일반 파일이 아닙니다 ({kind}). YAML 파일만 둘 수 있습니다",
        "knowledge.kind.dir": "디렉터리",
        "knowledge.kind.fifo": "FIFO(이름 있는 파이프)",
        "knowledge.kind.socket": "소켓",
        "knowledge.kind.device": "장치 파일",
        "knowledge.kind.other": "특수 파일",
        "knowledge.kind.list": "목록",
        "knowledge.kind.mapping": "매핑",
        "knowledge.missing_file": "파일이 없습니다",
        "knowledge.too_big": "파일이 너무 큽니다 ({size:,}바이트). 한 파일은 {limit:,}바이트까지입니다",
        "knowledge.not_utf8": "UTF-8이 아닌 파일입니다 (byte {byte})",
        "knowledge.utf16": "UTF-8이 아닌 파일입니다 ({encoding} BOM). UTF-8로 저장해 주세요",
        "knowledge.yaml_syntax": "YAML 문법 오류: {problem}",
        "knowledge.too_deep": "중첩이 너무 깊습니다 (최대 {limit}단계)",
        "knowledge.too_many_nodes": "항목이 너무 많습니다 (한 파일에 키·값·목록 항목 합쳐 최대 {limit:,}개)",
        "knowledge.key_not_string": "키 '{name}'는 문자열이어야 합니다 (지금: {kind})",
        "knowledge.duplicate_key": "키 '{name}'가 두 번 있습니다 (처음: {first}행)",
        "knowledge.merge_key": "병합 키 '<<'는 쓸 수 없습니다. 항목을 직접 적어 주세요",
        "knowledge.too_many_aliases": "별칭(*이름)이 너무 많습니다 (한 파일에 최대 {limit}개)",
        "knowledge.recursive_alias": "별칭이 자기 자신을 포함합니다",
        "knowledge.bad_tag": "지원하지 않는 YAML 태그입니다: {tag}",
        "knowledge.too_many_problems": "오류가 너무 많아 처음 {limit}개만 보여 주고 이 파일 검사를 멈췄습니다",
        "knowledge.top": "파일 최상위",
        "knowledge.internal": "파일을 처리하다 예기치 못한 오류가 났습니다 ({error})",
        "knowledge.unknown_key": "알 수 없는 항목입니다: '{name}' ({parent}에 쓸 수 있는 항목: {allowed})",
        "knowledge.not_for_type": "type: {type} 문제에는 쓰지 않는 항목입니다 ({types}에서만 씁니다)",
        "knowledge.multi_answer": "type: multi 문제는 answer 대신 answers(정답 목록)를 씁니다",
        "knowledge.required": "필수 항목이 없습니다",
        "knowledge.empty": "비어 있습니다",
        "knowledge.too_long": "{limit}자 이하여야 합니다 (지금 {length}자)",
        "knowledge.not_string": "문자열이어야 합니다 (지금: {kind})",
        "knowledge.bad_id": "id '{value}'는 소문자, 숫자, '-'만 쓸 수 있습니다",
        "knowledge.not_list": "목록이어야 합니다",
        "knowledge.item_not_string": "비어 있지 않은 문자열이어야 합니다",
        "knowledge.at_least_one": "적어도 하나가 필요합니다",
        "knowledge.int_range": "{lo}~{hi} 사이의 정수여야 합니다",
        "knowledge.not_mapping": "매핑(key: value)이어야 합니다",
        "knowledge.duplicate_topic": "토픽 id '{id}'가 중복됩니다",
        "knowledge.duplicate_section": "섹션 id '{id}'가 중복됩니다 (처음: {first})",
        "knowledge.duplicate_question": "문제 id '{id}'가 중복됩니다",
        "knowledge.missing_section": "없는 섹션 id '{id}'를 가리킵니다",
        "knowledge.bad_type": "type은 {types} 중 하나여야 합니다",
        "knowledge.option_count": "보기는 {lo}~{hi}개여야 합니다 (지금 {count}개)",
        "knowledge.option_duplicate": "같은 보기가 두 번 있습니다",
        "knowledge.answer_not_option": "정답이 options 중 하나와 글자 그대로 같아야 합니다",
        "knowledge.truefalse_answer": "true 또는 false여야 합니다",
        "knowledge.answers_count": "정답은 {lo}~{hi}개여야 합니다 (지금 {count}개)",
        "knowledge.answers_duplicate": "같은 정답이 두 번 있습니다",
        "knowledge.answers_not_option": "정답 '{value}'가 options 중 하나와 글자 그대로 같아야 합니다",
        "knowledge.bad_domain": "domain은 {domains} 중 하나여야 합니다",
        "knowledge.bad_url": "https:// 로 시작하는 URL이어야 합니다",
        "knowledge.synonym_group": "같은 뜻의 단어가 두 개 이상 있어야 합니다",
        # python bot.py check
        "check.summary": "주제 {topics}개, 섹션 {sections}개, 문제 {questions}개: {status}",
        "check.errors": "오류 {count}개",
        "check.ok": "오류 없음",
        "check.glossary_conflict": (
            "{where}: synonyms: 경고: '{entry}'은(는) 앞선 그룹의 말 '{held}'(으)로 읽혀 검색은 앞선 뜻을 씁니다"
            " (이 항목을 빼거나 다르게 적어 주세요)"
        ),
        "check.glossary_partial": (
            "{where}: synonyms: 경고: '{entry}'은(는) 검색에서 '{reads}'(으)로만 읽혀, 두면 모든 '{reads}'이(가)"
            " 이 뜻이 되므로 무시됩니다 (부사·어미 없이 명사로 적어 주세요)"
        ),
        "check.glossary_empty": (
            "{where}: synonyms: 경고: '{entry}'은(는) 조사·어미뿐이라 검색어로 읽히지 않아 무시됩니다"
            " (이 항목을 빼거나 다르게 적어 주세요)"
        ),
        "check.bank_failed": "문제 은행 기준 미달 {count}건",
        # python bot.py check --bank (studybot/lookup/bankreport.py)
        "bank.title": "문제 은행: {questions}문제",
        "bank.longest": "정답이 가장 긴 보기인 객관식: {share} ({count}/{of}, 기준 {limit:.0%} 이하)",
        "bank.true": "참/거짓 문제 중 정답이 참인 비율: {share} ({count}/{of}, 기준 {lo:.0%}~{hi:.0%})",
        "bank.uncovered": "문제가 없는 섹션: {count}개 ({ids})",
        "bank.no_scenario": "상황 설정이 없는 객관식·복수 정답 문제: {count}/{of} ({ids})",
        "bank.echo": "지문의 단어를 정답 보기만 되풀이하는 문제: {count}/{of} ({ids})",
        "bank.header": "이름 | 문제 | 유형 {types} | 난이도 1/2/3 | 긴 정답 | 참 비율 | 상황 없음 | 단어 되풀이",
        "bank.row": "{name} | {questions} | {types} | {levels} | {longest} | {true} | {no_scenario} | {echo}",
        "bank.all": "전체",
        "bank.by_topic": "주제별",
        "bank.by_domain": "영역별 (문제 비율 / 시험 비중)",
        "bank.domain": "{name} ({share:.0%} / {weight:.0%})",
        "bank.type.choice": "객관식",
        "bank.type.truefalse": "참거짓",
        "bank.type.short": "단답",
        "bank.type.multi": "복수",
        "bank.and_more": " 외 {count}개",
        "bank.fail_longest": (
            "문제 은행 기준 미달: 정답이 가장 긴 보기인 객관식 문제가 {share:.0%}입니다 ({count}/{of}). "
            "{limit:.0%} 이하여야 합니다"
        ),
        "bank.fail_true": (
            "문제 은행 기준 미달: 참/거짓 문제 중 정답이 참인 문제가 {share:.0%}입니다 ({count}/{of}). "
            "{lo:.0%}~{hi:.0%}여야 합니다"
        ),
        "bank.fail_uncovered": "문제 은행 기준 미달: 문제가 없는 섹션이 {count}개 있습니다 ({ids})",
    }
)

# The group writes the bot: suggestions, moderation, reports, exports (studybot/community/)
KO.update(
    {
        "community.unknown_section": "'{id}' 섹션을 찾을 수 없어요. 목록(자동 완성)에서 골라 주세요.",
        "community.too_many_pending": (
            "검토를 기다리는 제안이 이미 {limit}개예요. 관리자가 검토한 뒤에 새 문제를 제안할 수 있어요."
        ),
        "community.problem": "• {field}: {message}",
        "community.field.sections": "섹션",
        "community.field.type": "유형",
        "community.field.domain": "영역",
        "community.field.difficulty": "난이도",
        "community.field.source": "출처 URL",
        "community.field.prompt": "문제",
        "community.field.options": "보기",
        "community.field.answer": "정답",
        "community.field.answers": "정답",
        "community.field.accepted": "인정할 답",
        "community.field.explanation": "해설",
        "community.field.id": "id",
        "community.invalid": "문제 은행과 같은 기준으로 확인했는데 고칠 곳이 있어요:\n{problems}",
        "community.your_text": "입력한 내용 (복사해서 다시 쓰세요):",
        "community.submitted": "제안 #{id}을(를) 받았어요! 관리자가 검토하면 DM으로 알려 드릴게요. (검토 대기 {pending}/{limit})",
        "community.no_reason": "(사유 없음)",
        "community.modal_title": "문제 제안 · {section}",
        "community.edit_title": "제안 #{id} 고치기",
        "community.label.prompt": "문제 (상황과 질문)",
        "community.label.options": "보기 (한 줄에 하나; 단답형은 인정할 다른 답)",
        "community.label.answer": "정답 (보기 글자 A~E, 보기 그대로, O/X, 또는 단답)",
        "community.label.explanation": "해설",
        "community.label.source": "출처 (AWS 문서 https:// URL)",
        "community.reject_title": "제안 #{id} 거절",
        "community.reject_label": "거절 사유 (작성자에게 DM으로 보내요)",
        "community.suggestion_title": "📮 문제 제안 #{id} · {section}",
        "community.suggestion_meta": "작성: <@{author}> · 유형 {type} · 영역 {domain} · 난이도 {difficulty}",
        "community.suggestion_broken": "⚠️ 지금 지식 베이스로는 통과하지 않아요 (섹션이 없어졌을 수 있어요).",
        "community.correct_mark": "✅",
        "community.meta": "제안 정보",
        "community.status.pending": "검토 대기",
        "community.status.approved": "✅ 승인됨 (<@{moderator}>) · 문제 id `{qid}`",
        "community.status.rejected": "❌ 거절됨 (<@{moderator}>): {reason}",
        "community.button.approve": "승인",
        "community.button.edit": "고치기",
        "community.button.reject": "거절",
        "community.approved": "제안 #{id}을(를) 승인했어요. 이제 이 서버의 문제 은행에 들어가요 (`{qid}`).",
        "community.already": "이미 처리된 항목이에요 ({status}). 아무것도 바꾸지 않았어요.",
        "community.missing": "이 서버에서 그 항목을 찾을 수 없어요.",
        "community.edit_invalid": "고친 내용에 문제가 있어 저장하지 않았어요:\n{problems}",
        "community.edited": "제안 #{id}을(를) 고쳤어요.",
        "community.rejected": "제안 #{id}을(를) 거절했어요. 작성자에게 사유를 보냈어요.",
        "community.dm_approved": "🎉 {guild} 서버에 제안한 문제 #{id}이(가) 승인됐어요! 오늘의 문제로 나오면 출제 보너스를 받아요.",
        "community.dm_rejected": "{guild} 서버에 제안한 문제 #{id}은(는) 이번에는 채택되지 않았어요.\n사유: {reason}",
        "community.queue_empty": "검토할 제안도, 열린 신고도 없어요. 👍",
        "community.queue_head": "검토 대기 제안 {pending}개 · 열린 신고 {open}개 (오래된 것부터 {shown}개)",
        "community.author_credit": "출제",
        "community.card_answer": "정답: {answer}",
        "community.deck_missed": "StudyBot · 틀린 문제",
        "community.deck_bank": "StudyBot · 문제 은행",
        "community.yaml_header": (
            "# 서버 {guild}에서 승인된 멤버 문제 {count}개 (python bot.py export-questions).\n"
            "# knowledge/<subject>/questions/ 에 두고 python bot.py check 로 확인하세요."
        ),
        # reports
        "report.button": "틀린 내용 신고",
        "report.modal_title": "틀린 내용 신고",
        "report.label": "무엇이 틀렸나요? (가능하면 근거도)",
        "report.thanks": "신고 #{id}을(를) 받았어요. 고맙습니다! 처리되면 DM으로 알려 드릴게요.",
        "report.title": "🚩 신고 #{id} · {target}",
        "report.flagged": "⚠️ 같은 내용을 {count}명이 신고했어요",
        "report.meta": "신고: <@{reporter}> · {kind} `{target}`",
        "report.kind.section": "노트 섹션",
        "report.kind.question": "문제",
        "report.shown": "보인 내용",
        "report.reason": "틀린 점",
        "report.link": "메시지",
        "report.status.open": "열림",
        "report.status.fixed": "✅ 고침 (<@{moderator}>)",
        "report.status.dismissed": "기각 (<@{moderator}>)",
        "report.button.fixed": "고쳤어요",
        "report.button.dismiss": "기각",
        "report.resolved": "신고 #{id}을(를) 처리했어요 ({status}). 신고한 분께 알려 드렸어요.",
        "report.dm_fixed": "{guild} 서버에서 신고한 내용 #{id}을(를) 확인하고 고쳤어요. 고맙습니다!",
        "report.dm_dismissed": "{guild} 서버에서 신고한 내용 #{id}을(를) 확인했는데, 지금 내용이 맞다고 판단했어요.",
        "report.missing": "신고할 내용을 찾을 수 없어요.",
        # export
        "export.none": "내보낼 문제가 없어요. 틀린 문제가 생기면 복습 목록에 모이고, 그걸 Anki로 가져갈 수 있어요.",
        "export.done": "문제 {count}개를 Anki 덱(.apkg)과 CSV로 내보냈어요. Anki에서 '파일 → 가져오기'로 여세요.",
        "community.csv_encoding": "UTF-8, UTF-16(BOM), CP949 중 어느 것으로도 읽을 수 없는 파일입니다 (byte {byte}). UTF-8로 저장해 주세요",
        "community.csv_empty": "가져올 문제가 없습니다",
        "community.csv_header": "첫 줄(열 이름)이 맞지 않습니다. 모르는 열: {unknown} · 없는 필수 열: {missing} (쓸 수 있는 열: {allowed})",
        "community.csv_cells": "칸이 {count}개입니다. 첫 줄처럼 {want}개여야 합니다",
        "community.csv_duplicate_id": "문제 id '{id}'가 중복됩니다 (처음: {first})",
        "community.csv_in_bank": "이미 있는 문제 은행",
        "community.csv_written": "{file}: 문제 {count}개를 썼습니다 ({source}에서). `python bot.py check`로 확인하세요.",
        "community.csv_exists": "{file}이(가) 이미 있어 덮어쓰지 않았습니다. --out으로 다른 파일을 고르세요.",
        "community.csv_unknown_subject": "과목 '{subject}'이(가) knowledge 폴더에 없습니다. 있는 과목: {subjects}",
        "community.csv_failed": "{file}: 오류 {count}개 — 아무것도 쓰지 않았습니다.",
        "community.exported": "{file}: 승인된 문제 {count}개를 썼습니다.",
        "community.review_set": "\n검토 채널: {channel}",
        "console.suggest_usage": (
            "사용법: /suggest 섹션id | 유형(choice/truefalse/short/multi) | 영역(secure/resilient/performance/cost) | "
            "문제 | 보기1; 보기2; … | 정답 | 해설 | 출처 URL"
        ),
        "console.report_usage": "사용법: /report 섹션id 틀린 점",
        "console.queue_line_s": "#{id} 제안 · {section} · 작성 {author}: {prompt}",
        "console.queue_line_r": "#{id} 신고 · {target}{flag}: {reason}",
    }
)
KO["console.help"] += (
    "\n  /suggest …           문제 제안 (사용법: /suggest)\n  /report 섹션id 내용  틀린 내용 신고\n  /queue               검토 대기 목록"
)
COMMANDS_KO.update(
    {
        "Suggest a question for this server's bank": "이 서버 문제 은행에 문제 제안하기",
        "The section of the notes it tests": "문제가 다루는 노트 섹션",
        "Question type": "문제 유형",
        "SAA-C03 domain": "SAA-C03 영역",
        "Difficulty 1-3": "난이도 1~3",
        "Manage Server: the moderation queue": "서버 관리: 검토 대기 목록",
        "Manage Server: open reports": "서버 관리: 열린 신고 목록",
        "Your missed questions as an Anki deck and a CSV": "틀린 문제를 Anki 덱과 CSV로 받기",
        "Manage Server: the whole bank instead": "서버 관리: 대신 문제 은행 전체",
        "Channel where suggestions and reports are reviewed": "제안과 신고를 검토할 채널",
    }
)

# issue 11: the mock exam (/exam), readiness, the exam date, review reminders
KO.update(
    {
        "exam.domain.secure": "보안 아키텍처 설계",
        "exam.domain.resilient": "복원력 있는 아키텍처 설계",
        "exam.domain.performance": "고성능 아키텍처 설계",
        "exam.domain.cost": "비용 최적화 아키텍처 설계",
        "exam.domain.-": "영역 없음",
        "exam.empty": "모의고사에 낼 수 있는 문제가 아직 없어요.",
        "exam.bad_questions": "문제 수는 1~{most}개 중에서 골라 주세요.",
        "exam.bad_minutes": "시간은 1~{most}분 중에서 골라 주세요.",
        "exam.bad_position": "그런 번호의 문제는 없어요.",
        "exam.pick_count": "이 문제는 보기를 정확히 {count}개 골라야 해요.",
        "exam.missing": "이 모의고사를 찾을 수 없어요. `/exam start`로 새로 시작하거나 `/exam history`를 보세요.",
        "exam.none_running": "진행 중인 모의고사가 없어요. `/exam start`로 시작해 보세요.",
        "exam.started": (
            "🧪 모의고사를 시작했어요: {questions}문제, {minutes}분. 끝: {end} ({left})\n"
            "답을 고르면 다음 문제로 넘어가요. 정답은 끝날 때 한 번에 알려 드려요."
        ),
        "exam.resumed": "진행 중인 모의고사를 다시 열었어요. 남은 시간: {left}",
        "exam.previous_timed_out": "지난 모의고사는 시간이 끝나 제출됐어요: {correct}/{total}, 환산 {scaled}점 (추정).",
        "exam.expired": "⏰ 시간이 끝나서 이 답은 받지 않았어요. 모의고사를 제출했어요.",
        "exam.page_title": "🧪 모의고사 {number}/{total}",
        "exam.flag_mark": " 🚩",
        "exam.multi_hint": "(보기 {count}개를 고르세요)",
        "exam.time_left": "⏱️ 남은 시간",
        "exam.time_value": "{left} (끝: {end})",
        "exam.minutes_left": "{minutes}분 남음",
        "exam.progress": "진행",
        "exam.progress_value": "답한 문제 {answered}/{total} · 다시 볼 문제 🚩 {flags}개",
        "exam.your_answer": "내 답",
        "exam.not_answered": "아직 고르지 않았어요",
        "exam.footer": "정답과 해설은 제출한 뒤에 보여요 · 제출: 🏁 버튼 또는 /exam finish",
        "exam.prev": "이전",
        "exam.next": "다음",
        "exam.flag": "다시 볼 문제로 표시",
        "exam.unflag": "표시 지우기",
        "exam.submit": "제출",
        "exam.jump": "문제로 이동…",
        "exam.jump_option": "{number}번 {state}",
        "exam.state_answered": "✔ 답함",
        "exam.state_open": "· 안 품",
        "exam.multi_placeholder": "보기 {count}개를 고르세요",
        "exam.confirm": (
            "정말 제출할까요? 답한 문제 {answered}/{total}, 안 푼 문제 {open}개, 다시 볼 문제 🚩 {flags}개.\n"
            "제출하면 답을 바꿀 수 없어요."
        ),
        "exam.confirm_yes": "네, 제출해요",
        "exam.confirm_back": "계속 풀기",
        "exam.result_title": "🏁 모의고사 결과",
        "exam.result_score": "점수: **{correct}/{total}** ({share}%)",
        "exam.result_scaled": "환산 점수(추정): **{scaled}** / 1000 · 합격선 720 → {verdict}",
        "exam.pass": "✅ 합격권",
        "exam.fail": "❌ 아직 합격선 아래",
        "exam.result_time": "걸린 시간: {used}분 / {minutes}분{timeout}",
        "exam.result_timeout": " (시간 종료로 자동 제출)",
        "exam.result_answered": "답한 문제: {answered}/{total}",
        "exam.result_misses": "틀리거나 안 푼 문제 {count}개는 복습 목록에 넣었어요 (`/quiz review`). 아래 버튼으로 하나씩 해설을 볼 수 있어요.",
        "exam.result_perfect": "모두 맞혔어요! 🎉",
        "exam.result_estimate": (
            "환산 점수는 추정치예요: 정답률 70%를 720점으로 보고 100~1000점에 선형으로 맞췄어요 "
            "(AWS는 실제 환산 방식을 공개하지 않아요). 순위 점수에는 들어가지 않아요."
        ),
        "exam.by_domain": "영역별 (시험 비중)",
        "exam.domain_line": "{name} ({weight}%): {correct}/{total} ({share}%)",
        "exam.by_topic": "주제별",
        "exam.topic_line": "{name}: {correct}/{total} ({share}%)",
        "exam.miss_title": "❌ 틀린 문제 {number}/{count} · {topic}",
        "exam.miss_number": "모의고사 {position}번",
        "exam.right_answer": "정답",
        "exam.summary": "결과 요약",
        "exam.misses_button": "틀린 문제 보기",
        "exam.history_title": "🗂️ 모의고사 기록",
        "exam.history_line": "{date} · {correct}/{total} · 환산 {scaled}점 {verdict} · {used}분/{minutes}분",
        "exam.history_none": "아직 끝낸 모의고사가 없어요. `/exam start`로 시작해 보세요.",
        "exam.history_button": "{date} 결과",
        "exam.not_yours": "다른 사람의 모의고사예요.",
    }
)
KO["console.help"] += (
    "\n  /exam [문제 수] [분]  모의고사 (/pick B 또는 /pick A,C · /next · /prev · /go 번호 · /flag · /finish)"
    "\n  /history             모의고사 기록"
    "\n  /readiness           시험 준비도와 그래프   /examdate 2026-12-20 (clear: 지우기)"
    "\n  /insights            스터디 인사이트 (그래프와 CSV 저장)"
)

COMMANDS_KO.update(
    {
        "Mock exam": "모의고사",
        "Start a timed mock exam (or reopen yours)": "시간 제한 모의고사 시작 (진행 중이면 다시 열기)",
        "Number of questions (default: 20 per week of notes, at most 65)": "문제 수 (기본: 노트 1주차당 20문제, 최대 65)",
        "Minutes (default: 2 per question, at most 130)": "시간(분) (기본: 문제당 2분, 최대 130)",
        "Hand in your mock exam now": "지금 모의고사 제출",
        "Your finished mock exams": "끝낸 모의고사 기록",
    }
)

KO.update(
    {
        "ready.title": "🎯 {name}님의 시험 준비도",
        "ready.dm_only_you": "DM에서는 내 준비도만 볼 수 있어요 (모든 서버의 기록으로 계산해요). 다른 멤버의 준비도는 같은 서버에서 `/readiness member:`로 볼 수 있어요.",
        "ready.figure": "준비도: **{figure}%** · 목표 70% {verdict}",
        "ready.verdict_ready": "✅ 합격권으로 보여요",
        "ready.verdict_gap": "까지 {gap}%p 남았어요",
        "ready.countdown": "📅 시험까지 **D-{days}** ({date})",
        "ready.countdown_today": "📅 오늘이 시험일이에요! ({date})",
        "ready.countdown_past": "📅 시험일({date})이 지났어요. `/exam date set`으로 새 날짜를 정할 수 있어요.",
        "ready.no_date": "시험일을 정하면 D-day와 함께 복습 일정이 시험일에 맞춰져요: `/exam date set date:2026-12-20`",
        "ready.kinds": "푼 문제: 매일 {daily} · 연습 {practice} · 복습 {review} · 모의고사 {exam} · 복습 카드 {cards}장",
        "ready.by_domain": "영역별 (준비도 · 기억 · 정답률 · 커버리지)",
        "ready.by_topic": "주제별 (준비도 · 기억 · 정답률 · 커버리지)",
        "ready.line": "{name}: **{readiness}%** · 기억 {recall} · 정답률 {accuracy} · 본 문제 {seen}/{questions}",
        "ready.none": "-",
        "ready.next": "다음에 공부할 주제",
        "ready.next_line": "{rank}. {name} (준비도 {readiness}%, 본 문제 {seen}/{questions})",
        "ready.next_none": "모든 문제를 충분히 알고 있어요! 모의고사로 확인해 보세요.",
        "ready.how_title": "어떻게 계산하나요?",
        "ready.how": (
            "문제마다 시험일(정하지 않았으면 일주일 뒤)에 맞힐 확률을 어림해요. 복습 카드가 있으면 FSRS가 그날로 예측한 기억 확률, "
            "카드 없이 풀어 본 문제는 그 문제의 정답률, 아직 안 본 문제는 0이에요. "
            "영역마다 평균을 내고 시험 비중(보안 30·복원력 26·고성능 24·비용 20%)으로 가중 평균한 값이 준비도예요. "
            "70%는 모의고사에서 720점으로 환산하는 정답률이에요(추정)."
        ),
        "ready.alt": "{name}님의 영역별 준비도·기억·정답률·커버리지와 주제별 준비도 차트",
        "ready.chart_title": "{name}님의 시험 준비도 {figure}%",
        "ready.chart_domains": "영역별 (%)",
        "ready.chart_topics": "주제별 준비도 (%)",
        "ready.chart_line": "목표 70%",
        "ready.metric.readiness": "준비도",
        "ready.metric.recall": "기억(FSRS)",
        "ready.metric.accuracy": "정답률",
        "ready.metric.coverage": "커버리지",
        "ready.short.secure": "보안",
        "ready.short.resilient": "복원력",
        "ready.short.performance": "고성능",
        "ready.short.cost": "비용 최적화",
    }
)

COMMANDS_KO.update(
    {
        "How ready you are for the exam, with a chart": "시험 준비도와 차트",
    }
)

KO.update(
    {
        "plan.bad_date": "'{text}'은(는) 알 수 없는 날짜예요. 예: 2026-12-20, 12/20, 12월 20일",
        "plan.date_past": "{date}은(는) 이미 지난 날짜예요. 오늘이나 그 뒤의 날짜를 적어 주세요.",
        "plan.date_far": "시험일은 1년 안의 날짜로 정해 주세요.",
        "plan.bad_hour": "알림 시각은 0~23시 중 하나로 정해 주세요.",
        "plan.date_set": (
            "📅 시험일을 **{date}** (D-{days})로 정했어요. 이제 복습이 시험일에 맞춰져요: "
            "시험 전날부터는 그 뒤로 미뤄진 카드도 한 번씩 다시 나오고, 시험이 가까울수록 더 일찍 복습해요 "
            "(목표 기억률 지금 {retention}%). `/readiness`에 D-day가 보여요."
        ),
        "plan.date_cleared": "시험일을 지웠어요. 복습은 원래 FSRS 일정대로 돌아가요.",
        "plan.date_none": "정해 둔 시험일이 없어요.",
        "plan.remind_on": (
            "🔔 복습할 문제가 있는 날 매일 {hour:02d}:00 ({timezone})에 DM으로 알려 드릴게요 (하루 한 번). "
            "끄려면 `/quiz remind mode:off`."
        ),
        "plan.remind_off": "🔕 복습 알림을 껐어요.",
        "plan.remind_was_off": "복습 알림은 이미 꺼져 있어요.",
        "plan.remind_dm": "🔁 복습할 문제가 {count}개 있어요! 아래 버튼으로 바로 시작해요.{countdown}",
        "plan.remind_countdown": " 시험까지 D-{days}.",
        "plan.remind_button": "복습 시작",
    }
)

COMMANDS_KO.update(
    {
        "Your exam day (review aims at it)": "내 시험일 (복습 일정이 맞춰져요)",
        "Set your exam day": "시험일 정하기",
        "Exam day, e.g. 2026-12-20": "시험일 (예: 2026-12-20)",
        "Clear your exam day": "시험일 지우기",
        "Review reminders by DM": "DM 복습 알림",
        "on or off": "on 또는 off",
        "Local hour 0-23 (default 20)": "현지 시각 0~23시 (기본 20시)",
    }
)

KO.update(
    {
        "insights.title": "🔎 스터디 인사이트",
        "insights.summary": "매일 문제 {questions}개 · 답 {answers}개 · 변별도 계산에 쓴 멤버 {ranked}명 (매일 문제 {min}개 이상)",
        "insights.hardest": "가장 어려운 문제 (정답률 · 변별도 · 가장 많이 고른 오답)",
        "insights.question_line": "`{qid}` {topic}: {share}% ({right}/{answered}) · 변별도 {index} · 오답 '{wrong}' {count}명",
        "insights.no_wrong": "-",
        "insights.topics": "주제별 정답률 (최근 4주, 주마다)",
        "insights.topic_line": "{name}: {share}% ({answered}답) · {weeks} {trend}",
        "insights.trend_up": "📈 +{delta}%p",
        "insights.trend_down": "📉 {delta}%p",
        "insights.trend_flat": "➖ 0%p",
        "insights.participation": "참여 (하루에 답한 멤버 수)",
        "insights.participation_line": "최근 7일: {days} · 4주 평균 {average:.1f}명",
        "insights.piling": "복습이 쌓인 멤버 (이름 없이 숫자만)",
        "insights.piling_line": "{lo}개 이상{hi}: {count}명",
        "insights.piling_hi": "~{hi}개",
        "insights.none": "아직 이 서버에 답이 없어요. 매일 문제를 올린 뒤 다시 보세요.",
        "insights.how": (
            "변별도: 매일 문제 정답률 상위 27%와 하위 27% 멤버의 정답률 차이(-1~1). 0.3 이상이면 실력을 잘 가르고, "
            "0보다 작으면 잘하는 멤버가 더 틀려요(정답이나 문구를 확인해 보세요). CSV에 모든 문제가 있어요."
        ),
        "insights.alt": "서버의 하루 참여 멤버 수(최근 4주)와 주제별 정답률 차트",
        "insights.chart_participation": "하루 참여 멤버 (최근 4주)",
        "insights.chart_topics": "주제별 정답률 (최근 4주, %)",
        "insights.chart_members": "명",
        "insights.chart_title": "스터디 인사이트",
    }
)

COMMANDS_KO.update({"Admin: the group's insights (CSV and a chart)": "관리자: 스터디 인사이트 (CSV와 차트)"})

KO.update(
    {
        "stats.chart_days": "최근 30일 하루 답한 문제 수",
        "stats.chart_answers": "문제",
        "stats.chart_topics": "주제별 정답률 (%)",
        "stats.chart_none": "아직 답한 문제가 없어요",
    }
)
