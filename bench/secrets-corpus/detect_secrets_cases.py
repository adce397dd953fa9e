import ast, glob, json, os, base64, random, sys
import os
OUT = os.environ.get('OUT', 'out')  # work directory (bench/secrets-corpus/run.sh sets it)
random.seed(3)
out = []
for path in sorted(glob.glob(OUT + '/ds/*_test.py')):
    src = open(path).read(); tree = ast.parse(src)
    ns = {'base64': base64, 'randint': random.randint, 'random': random}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            try: exec(compile(ast.Module([node], []), path, 'exec'), ns)
            except Exception as e: pass
    plugin = os.path.basename(path)[:-8]
    tps, fps = [], []
    # module-level *_TEST_CASES: (line, expected)
    for k, v in ns.items():
        if k.endswith('TEST_CASES') and isinstance(v, list):
            for case in v:
                if isinstance(case, tuple) and len(case) >= 2 and isinstance(case[0], str):
                    (tps if case[1] else fps).append(case[0])
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in node.decorator_list:
                if isinstance(d, ast.Call) and getattr(d.func, 'attr', '') == 'parametrize' and len(d.args) >= 2:
                    try:
                        names = ast.literal_eval(d.args[0]); vals = eval(compile(ast.Expression(d.args[1]), path, 'eval'), ns)
                    except Exception as e:
                        continue
                    names = [n.strip() for n in (names.split(',') if isinstance(names, str) else names)]
                    if 'should_flag' not in names: continue
                    pi = next((i for i, n in enumerate(names) if n in ('payload', 'line', 'secret', 'token')), 0); fi = names.index('should_flag')
                    for v in vals:
                        if not isinstance(v, (tuple, list)): continue
                        text = v[pi]
                        if isinstance(text, bytes): text = text.decode('utf-8', 'replace')
                        if isinstance(text, str): (tps if v[fi] else fps).append(text)
    out.append({'rule': plugin, 'tps': tps, 'fps': fps})
    print(plugin, len(tps), len(fps), file=sys.stderr)
json.dump(out, open(OUT + '/detect-secrets.json', 'w'))
