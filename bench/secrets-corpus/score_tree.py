import json, subprocess, sys, collections
import os
OUT = os.environ.get('OUT', 'out')  # work directory (bench/secrets-corpus/run.sh sets it)
root, indexfile, strata = sys.argv[1:4]
index = json.load(open(indexfile))
out = subprocess.run(['dotnet', strata, 'scan', 'rootfs:' + root, '--format', 'json', '--no-progress', '-q', '--limits', 'findings-per-rule=10000000'], capture_output=True, text=True)
rep = json.loads(out.stdout)
hits = collections.defaultdict(list)
for f in rep['findings']:
    if f['ruleId'].startswith('SEC-') and f['severity'] != 'INFO' and f['location'].get('path'):
        hits[f['location']['path']].append(f['ruleId'])
tp = [k for k, v in index.items() if v[0] == 'tps']; fp = [k for k, v in index.items() if v[0] == 'fps']
found = [k for k in tp if hits.get(k)]; flagged = [k for k in fp if hits.get(k)]
print(f"recall {len(found)}/{len(tp)} = {100*len(found)/max(1,len(tp)):.1f}%   false positives {len(flagged)}/{len(fp)} = {100*len(flagged)/max(1,len(fp)):.1f}%")
with open(root + '.missed.txt', 'w') as m:
    for k in tp:
        if not hits.get(k): m.write(f"{k}\t{index[k][2][:200]!r}\n")
with open(root + '.fp.txt', 'w') as m:
    for k in flagged: m.write(f"{k}\t{hits[k]}\t{index[k][2][:200]!r}\n")
