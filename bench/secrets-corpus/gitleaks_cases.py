# Local measurement only: extracts the peers' own published cases from their git repositories into $OUT; nothing
# extracted is committed.
# Extract gitleaks' own tps/fps (facts for local measurement only; never committed).
import re, sys, json, random, os, glob
try:
    import re._parser as sre_parse
    import re._constants as C
except ImportError:
    import sre_parse, sre_constants as C
import os
OUT = os.environ.get('OUT', 'out')  # work directory (bench/secrets-corpus/run.sh sets it)
random.seed(7)
TEMPL = {
 "ini - quoted1": "{i}Token=\"{s}\"", "ini - quoted2": "{i}Token = \"{s}\"", "ini - unquoted1": "{i}Token={s}", "ini - unquoted2": "{i}Token = {s}",
 "json - string": "{\n    \"{i}_token\": \"{s}\"\n}", "json - escaped newline in string": '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
 "xml - element multiline": "<{i}Token>\n    {s}\n</{i}Token>",
 "yaml - singleline - unquoted": "{i}_token: {s}", "yaml - singleline - single quote": "{i}_token: '{s}'", "yaml - singleline - double quote": "{i}_token: \"{s}\"",
 "C#": 'string {i}Token = "{s}";', "go - normal": 'var {i}Token string = "{s}"', "go - short": '{i}Token := "{s}"', "go - backticks": "{i}Token := `{s}`",
 "java": "String {i}Token = \"{s}\";", "kotlin - notype": "var {i}Token = \"{s}\"", "php - string concat": '${i}Token .= "{s}"',
 "python - single quote": "{i}Token = '{s}'", "python - double quote": '{i}Token = "{s}"',
 "misc - comma operator": 'System.setProperty("{I}_TOKEN", "{s}")', "logstash": "  \"{i}Token\" => \"{s}\"",
 "make - recursive assignment": "{i}_TOKEN = \"{s}\"", "make - simple assignment": "{i}_TOKEN := \"{s}\"", "make - shell assignment": "{i}_TOKEN ::= \"{s}\"",
 "make - evaluated shell assignment": "{i}_TOKEN :::= \"{s}\"", "make - conditional assignment": "{i}_TOKEN ?= \"{s}\"",
}
def samples(i, s):
    return [(k, v.replace("{i}", i).replace("{I}", i.upper()).replace("{s}", s)) for k, v in TEMPL.items()]

def gen(pattern):
    tree = sre_parse.parse(pattern)
    return gen_tree(tree)
def gen_tree(items):
    out = []
    for op, av in items:
        out.append(gen_op(op, av))
    return ''.join(out)
ALNUM = [chr(c) for c in range(48,58)]+[chr(c) for c in range(65,91)]+[chr(c) for c in range(97,123)]
def gen_in(av):
    chars = []
    neg = False
    for op, a in av:
        if op == C.NEGATE: neg = True
        elif op == C.LITERAL: chars.append(chr(a))
        elif op == C.RANGE: chars.extend(chr(c) for c in range(a[0], a[1]+1))
        elif op == C.CATEGORY:
            if a == C.CATEGORY_DIGIT: chars.extend('0123456789')
            elif a == C.CATEGORY_WORD: chars.extend(ALNUM + ['_'])
            elif a == C.CATEGORY_SPACE: chars.append(' ')
            else: chars.extend(ALNUM)
    if neg:
        chars = [c for c in ALNUM if c not in chars]
    return random.choice(chars)
def gen_op(op, av):
    if op == C.LITERAL: return chr(av)
    if op == C.NOT_LITERAL: return random.choice([c for c in ALNUM if c != chr(av)])
    if op == C.IN: return gen_in(av)
    if op == C.ANY: return random.choice(ALNUM)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, 'POSSESSIVE_REPEAT', None)):
        lo, hi, sub = av
        if hi == C.MAXREPEAT: hi = max(lo, 1) + 8 if lo < 8 else lo
        n = random.randint(lo, hi) if hi - lo < 40 else lo + random.randint(0, 20)
        return ''.join(gen_tree(sub) for _ in range(n))
    if op == C.SUBPATTERN:
        return gen_tree(av[-1])
    if op == C.BRANCH:
        return gen_tree(random.choice(av[1]))
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT): return ''
    if op == C.CATEGORY: return 'a'
    if op == C.GROUPREF: return ''
    raise ValueError(op)

HELPERS = {"AlphaNumeric": "[a-z0-9]{%s}", "Hex": "[a-f0-9]{%s}", "Numeric": "[0-9]{%s}", "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}",
           "AlphaNumericExtended": "[a-z0-9=_\\-]{%s}", "AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}"}

class Parser:
    def __init__(self, src): self.s = src; self.i = 0
    def ws(self):
        while True:
            m = re.compile(r'(\s+|//[^\n]*|/\*.*?\*/)', re.S).match(self.s, self.i)
            if not m: return
            self.i = m.end()
    def peek(self, t):
        self.ws(); return self.s.startswith(t, self.i)
    def eat(self, t):
        self.ws()
        if not self.s.startswith(t, self.i): raise ValueError("expected %r at %r" % (t, self.s[self.i:self.i+60]))
        self.i += len(t)
    def strlit(self):
        self.ws()
        c = self.s[self.i]
        if c == '`':
            j = self.s.index('`', self.i+1); v = self.s[self.i+1:j]; self.i = j+1; return v
        if c == '"':
            m = re.compile(r'"((?:[^"\\\n]|\\.)*)"').match(self.s, self.i)
            self.i = m.end(); return bytes(m.group(1), 'utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8', 'replace')
        raise ValueError("no string at %r" % self.s[self.i:self.i+40])
    def ident(self):
        self.ws(); m = re.compile(r'[A-Za-z_][A-Za-z0-9_.]*').match(self.s, self.i)
        if not m: raise ValueError("no ident at %r" % self.s[self.i:self.i+40])
        self.i = m.end(); return m.group(0)
    def expr(self, env):
        v = self.term(env)
        while self.peek('+') and not self.peek('++'):
            self.eat('+'); w = self.term(env)
            v = v + w
        return v
    def args(self, env):
        self.eat('('); out = []
        while not self.peek(')'):
            if self.peek('...'): self.eat('...'); out[-1] = ('spread', out[-1]); continue
            out.append(self.expr(env))
            if self.peek(','): self.eat(',')
        self.eat(')'); return out
    def term(self, env):
        self.ws(); c = self.s[self.i]
        if c in '"`': return self.strlit()
        if self.peek('[]string{'):
            self.eat('[]string{'); out = []
            while not self.peek('}'):
                out.append(self.expr(env))
                if self.peek(','): self.eat(',')
            self.eat('}'); return out
        name = self.ident()
        if self.peek('('):
            a = self.args(env)
            if name == 'utils.GenerateSampleSecrets': return [v for _, v in samples(a[0], a[1])]
            if name == 'utils.GenerateSampleSecret': return '%s_api_token = "%s"' % (a[0], a[1])
            if name == 'secrets.NewSecret': return gen(a[0])
            if name.startswith('utils.') and name[6:] in HELPERS: return HELPERS[name[6:]] % a[0]
            if name == 'utils.Hex8_4_4_4_12': return '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
            if name == 'append':
                base = list(a[0])
                for x in a[1:]:
                    if isinstance(x, tuple): base.extend(x[1])
                    else: base.append(x)
                return base
            if name == 'fmt.Sprintf':
                f = a[0]; rest = list(a[1:])
                return re.sub(r'%[sdv]', lambda m: str(rest.pop(0)), f)
            if name == 'strings.Repeat': return a[0] * int(a[1]) if isinstance(a[1], str) else a[0]
            raise ValueError("call " + name)
        if name in env: return env[name]
        raise ValueError("name " + name)

def extract(path):
    src = open(path).read()
    out = []
    for fm in re.finditer(r'\nfunc ([A-Za-z0-9_]+)\(\) \*config\.Rule \{', src):
        start = fm.end(); end = src.find('\nfunc ', start); body = src[start:end if end > 0 else len(src)]
        rid = re.search(r'RuleID:\s*"([^"]+)"', body)
        rid = rid.group(1) if rid else fm.group(1)
        env = {}
        for sm in re.finditer(r'\n\s*(tps|fps|[a-zA-Z_][A-Za-z0-9_]*)\s*(:=|=)\s*', body):
            var = sm.group(1)
            if var in ('r',): continue
            p = Parser(body); p.i = sm.end()
            try:
                env[var] = p.expr(env)
            except Exception as e:
                if var in ('tps', 'fps'): print("skip", rid, var, str(e)[:80], file=sys.stderr)
        # inline Validate(r, []string{..}, ...)
        out.append({"rule": rid, "tps": env.get('tps') if isinstance(env.get('tps'), list) else [], "fps": env.get('fps') if isinstance(env.get('fps'), list) else []})
    return out

allr = []
for f in sorted(glob.glob(OUT + '/gitleaks/cmd/generate/config/rules/*.go')):
    allr.extend(extract(f))
json.dump(allr, open(OUT + '/gitleaks.json', 'w'), indent=0)
print(len(allr), "rules", sum(len(r['tps']) for r in allr), "tps", sum(len(r['fps']) for r in allr), "fps", file=sys.stderr)
