from studybot.text import clean, jamo, squash, strip_particle, tokens, topic_particle, words


def test_tokens_split_scripts_and_drop_zero_width():
    assert tokens("EFS처리량\u200b 모드!") == ["efs", "처리량", "모드"]
    assert tokens("gp3 vs io2") == ["gp3", "vs", "io2"]
    assert tokens("🔥🔥") == []


def test_particles():
    assert strip_particle("보안그룹에서") == "보안그룹"
    assert words("EFS는 몇 개 AZ에서") == ["efs", "몇", "개", "az"]
    assert strip_particle("롤이란") == "롤"
    assert strip_particle("는") == "는"


def test_jamo_makes_one_typo_one_edit():
    assert len(jamo("보안그룹")) == 10
    assert sum(a != b for a, b in zip(jamo("보안구룹"), jamo("보안그룹"), strict=True)) == 1


def test_clean_and_squash():
    assert clean("  ＡＷＳ   EC2 ") == "aws ec2"
    assert squash("Cold HDD") == squash("coldhdd")
    assert squash("보안 그룹은") == squash("보안그룹")


def test_topic_particle_follows_the_last_sound():
    assert topic_particle("테라폼") == "은" and topic_particle("레디스") == "는"
    assert topic_particle("route53") == "은" and topic_particle("ec2") == "는"  # 삼, 이
    assert topic_particle("kafka") == "은(는)" and topic_particle("") == "은(는)"
