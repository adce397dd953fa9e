import subprocess, json, os, re, collections
import os
OUT = os.environ.get('OUT', 'out')  # work directory (bench/secrets-corpus/run.sh sets it)
repo = os.environ['SECRETLINT_GIT']
files = subprocess.run(['git', '-C', repo, 'ls-tree', '-r', '--name-only', 'HEAD'], capture_output=True, text=True).stdout.split('\n')
cases = collections.defaultdict(dict)
for f in files:
    m = re.match(r'packages/@secretlint/secretlint-rule-([^/]+)/test/snapshots/([^/]+)/(.+)$', f)
    if m: cases[(m.group(1), m.group(2))][m.group(3)] = f
root = OUT + '/tree-secretlint'
import shutil; shutil.rmtree(root, ignore_errors=True)
index = {}
for (rule, case), fs in cases.items():
    inputs = [k for k in fs if k.startswith('input')]
    if not inputs or 'output.json' not in fs: continue
    out = json.loads(subprocess.run(['git', '-C', repo, 'show', 'HEAD:' + fs['output.json']], capture_output=True, text=True).stdout or '{}')
    msgs = out.get('messages', []) if isinstance(out, dict) else []
    kind = 'tps' if msgs else 'fps'
    for inp in inputs:
        data = subprocess.run(['git', '-C', repo, 'show', 'HEAD:' + fs[inp]], capture_output=True).stdout
        rel = f'srv/{kind}/{rule}/{case}/{inp}'
        p = os.path.join(root, rel); os.makedirs(os.path.dirname(p), exist_ok=True); open(p, 'wb').write(data)
        index['/' + rel] = (kind, rule, data[:300].decode('utf-8', 'replace'))
json.dump(index, open(OUT + '/secretlint-index.json', 'w'))
print(sum(1 for v in index.values() if v[0]=='tps'), 'tps', sum(1 for v in index.values() if v[0]=='fps'), 'fps')
