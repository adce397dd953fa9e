# Writes each case of a corpus ([{rule, tps, fps}] JSON) to a file of its own, with an index, for score_tree.py.
import json, os, shutil, sys
OUT = os.environ.get('OUT', 'out')  # work directory (bench/secrets-corpus/run.sh sets it)
src = sys.argv[1]
root = OUT + '/tree-' + os.path.basename(src).split('.')[0]
shutil.rmtree(root, ignore_errors=True)
index = {}
for r in json.load(open(src)):
    for kind in ('tps', 'fps'):
        for n, text in enumerate(r[kind]):
            if not isinstance(text, str):
                continue
            rel = f"srv/{kind}/{r['rule']}/{n}.txt"
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, 'w').write(text + '\n')
            index['/' + rel] = (kind, r['rule'], text)
json.dump(index, open(root + '.index.json', 'w'))
print(root)
