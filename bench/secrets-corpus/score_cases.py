import json, os, shutil, subprocess, sys, collections
import os
OUT = os.environ.get('OUT', 'out')  # work directory (bench/secrets-corpus/run.sh sets it)
src = sys.argv[1]            # corpus json: [{rule,tps,fps}]
strata = sys.argv[2]         # path to strata.dll
root = OUT + '/tree-' + os.path.basename(src).split('.')[0]
shutil.rmtree(root, ignore_errors=True)
index = {}
for r in json.load(open(src)):
    for kind in ('tps', 'fps'):
        for n, text in enumerate(r[kind]):
            if not isinstance(text, str): continue
            rel = f"{kind}/{r['rule']}/{n}.txt"
            p = os.path.join(root, 'srv', rel); os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, 'w').write(text + '\n'); index['/srv/' + rel] = (kind, r['rule'], text)
out = subprocess.run(['dotnet', strata, 'scan', 'rootfs:' + root, '--format', 'json', '--no-progress', '-q', '--limits', 'findings-per-rule=10000000'], capture_output=True, text=True)
rep = json.loads(out.stdout)
hits = collections.defaultdict(list)
for f in rep['findings']:
    if f['ruleId'].startswith('SEC-') and f['severity'] != 'INFO' and f['location'].get('path'):
        hits[f['location']['path']].append(f['ruleId'])
tp = [k for k, v in index.items() if v[0] == 'tps']; fp = [k for k, v in index.items() if v[0] == 'fps']
found = [k for k in tp if hits.get(k)]; flagged = [k for k in fp if hits.get(k)]
print(f"recall {len(found)}/{len(tp)} = {100*len(found)/max(1,len(tp)):.1f}%   false positives {len(flagged)}/{len(fp)} = {100*len(flagged)/max(1,len(fp)):.1f}%")
miss = collections.Counter(index[k][1] for k in tp if not hits.get(k))
with open(root + '.missed.txt', 'w') as m:
    for k in tp:
        if not hits.get(k): m.write(f"{index[k][1]}\t{index[k][2]!r}\n")
with open(root + '.fp.txt', 'w') as m:
    for k in flagged: m.write(f"{index[k][1]}\t{hits[k]}\t{index[k][2][:200]!r}\n")
open(root + ".missed-by-rule.txt", "w").write("\n".join(f"{n}\t{r}" for r, n in miss.most_common()))
