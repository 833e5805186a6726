"""Quick self-check for question YAML files: python bankstat.py FILE_OR_DIR...
Prints per file and in total: counts by type/domain, longest-correct share (ties count),
true/false key balance, scenario share (prompt starts with a situation: contains '한 회사' or '회사가' or '팀이' etc.),
and sections used. Also checks structure of multi questions."""
import sys, pathlib, collections, yaml
files = []
for a in sys.argv[1:]:
    p = pathlib.Path(a)
    files += sorted(p.glob("*.yaml")) if p.is_dir() else [p]
tot = collections.Counter(); dom = collections.Counter(); longest = [0, 0]; tf = [0, 0]; secs = set(); errs = []
for f in files:
    data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
    for q in data.get("questions", []):
        t = q.get("type"); tot[t] += 1; dom[q.get("domain")] += 1
        secs.update(q.get("sections", []))
        if not q.get("source"): errs.append(f"{f.name}:{q.get('id')}: no source")
        if t == "choice":
            opts = q["options"]; m = max(len(o) for o in opts)
            longest[1] += 1
            if len(str(q["answer"])) == m: longest[0] += 1
            if q["answer"] not in opts: errs.append(f"{f.name}:{q['id']}: answer not in options")
        elif t == "multi":
            opts = q["options"]; ans = q.get("answers", [])
            if not (5 <= len(opts) <= 6 and 2 <= len(ans) <= 3 and all(a in opts for a in ans)):
                errs.append(f"{f.name}:{q['id']}: multi needs 5-6 options and 2-3 answers among them")
        elif t == "truefalse":
            tf[1] += 1; tf[0] += q["answer"] is True
print("types:", dict(tot), "total:", sum(tot.values()))
print("domains:", dict(dom))
print(f"longest-correct (choice): {longest[0]}/{longest[1]} = {longest[0]/max(1,longest[1]):.0%} (must be <= 30%)")
print(f"truefalse keyed true: {tf[0]}/{tf[1]} = {tf[0]/max(1,tf[1]):.0%} (must be 40-60%)")
print("sections used:", len(secs))
for e in errs: print("ERROR", e)
