"""How far can merging modalities by score go on the demo's held-out queries? (issue 15, item 1)

    ./tessera demo --size 150        # leaves the search page (search-api on :8080) up until Ctrl-C
    python3 docs/tools/fusion_lab.py dump http://127.0.0.1:8080 demo .tessera/demo/dataset-s42-n150/eval.jsonl /tmp/rows.json
    python3 docs/tools/fusion_lab.py compare /tmp/rows.json

`dump` asks search-api, per query and per modality, for every row with its raw cosine (fusion none). `compare`
then merges those rows offline the way search-api merges one request's modalities and prints, for each method,
recall@10 over every modality at once against recall@10 within the answer's own modality (the demo's "fused/own"):
raw cosine, search-api's zscore and rrf, a z-score against each modality's whole distribution (background), the
best fixed per-modality affine map of the raw cosine fitted on the evaluation queries themselves (an upper bound
for any per-modality calibration, not a method), and three methods learned on half the queries and measured on the
other half (3 x 2-fold): a per-modality logistic (Platt) calibration of the cosine; a per-modality logistic that also
sees the whole query's score profile (each modality's best cosine, the hit's gap to its own modality's best, its rank
and z-score), which no per-modality calibration can; and "intent x rank", which guesses the query's target modality
from that profile (multinomial logistic) and ranks each hit by P(modality) x P(the answer sits at this rank | that
modality). Standard library only. A research tool: nothing in the services runs it.
"""
import bisect, collections, json, math, random, sys, urllib.request

MODS = ["IMAGE", "VIDEO", "DOCUMENT", "TEXT"]
K, OVER_FETCH, MOMENT_TOLERANCE_MS = 10, 5, 500


def dump(api, tenant, eval_file, out):
    def post(body):
        request = urllib.request.Request(api + "/v1/search", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(request, timeout=60))
    queries = []
    for line in open(eval_file):
        q = json.loads(line)
        rows = {}
        for m in MODS:
            answer = post({"text": q["text"], "tenant": tenant, "modalities": [m], "topK": 1000,
                           "rawSegments": True, "fusion": "none"})
            rows[m] = [{k: h.get(k) for k in ("mediaId", "score", "segment", "startMs", "endMs", "page")}
                       for h in answer["hits"]]
        queries.append({"q": q, "rows": rows})
    json.dump(queries, open(out, "w"))
    print(f"{len(queries)} queries x {len(MODS)} modalities to {out}")


def by_segment(q):  # the demo ranks videos and documents by their moments and pages
    return q["expected"]["modality"] in ("VIDEO", "DOCUMENT")


def right(expected, hit, segmented):
    if expected["mediaId"] != hit["mediaId"]:
        return False
    if not segmented:
        return True
    segment = -1 if hit.get("segment") is None else hit["segment"]
    if expected["modality"] == "VIDEO":
        start, end = hit.get("startMs"), hit.get("endMs")
        if start is None or segment < 0:
            return False
        end = start if end is None else end
        return start <= expected["endMs"] + MOMENT_TOLERANCE_MS and end >= expected["startMs"] - MOMENT_TOLERANCE_MS
    return segment >= 0 and hit.get("page") == expected["page"]


def grouped(rows):
    best = {}
    for r in rows:
        best.setdefault(r["mediaId"], r)
    return list(best.values())


def prepare(data):
    """Per query: whether its own modality finds it in the top 10, and per modality the results a fused search cuts
    (score, right?) plus the candidate rows and all rows (for the statistics)."""
    out = []
    for d in data:
        q, exp = d["q"], d["q"]["expected"]
        seg = by_segment(q)
        own_rows = d["rows"][exp["modality"]]
        own = own_rows[:K] if seg else grouped(own_rows)[:K]
        per = {}
        for m in MODS:
            rows = d["rows"][m]
            candidates = rows[:(K + 1) * OVER_FETCH]
            results = candidates[:K + 1] if seg else grouped(candidates)[:K + 1]
            per[m] = ([(h["score"], right(exp, h, seg)) for h in results], [h["score"] for h in candidates],
                      [h["score"] for h in rows])
        out.append((q["task"], any(right(exp, h, seg) for h in own), per))
    return out


def mean_sd(xs):
    m = sum(xs) / len(xs) if xs else 0.0
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0


def fused_scores(method, per):
    if method == "zscore":  # search-api's: candidate mean, spread shrunk towards the pooled one by 5 rows
        means = {m: (sum(c) / len(c) if c else 0.0) for m, (r, c, a) in per.items()}
        squares = sum((x - means[m]) ** 2 for m, (r, c, a) in per.items() for x in c)
        n = sum(len(c) for r, c, a in per.values())
        groups = sum(1 for r, c, a in per.values() if c)
        pooled = squares / (n - groups) if n - groups >= 1 else 0.0
        out = {}
        for m, (r, c, a) in per.items():
            own = sum((x - means[m]) ** 2 for x in c)
            spread = max(1e-3, math.sqrt((own + 5 * pooled) / (max(0, len(c) - 1) + 5)))
            out[m] = [(s - means[m]) / spread for s, ok in r]
        return out
    if method == "none":
        return {m: [s for s, ok in r] for m, (r, c, a) in per.items()}
    if method == "rrf":
        return {m: [1 / (61 + i) for i in range(len(r))] for m, (r, c, a) in per.items()}
    if method == "background":
        out = {}
        for m, (r, c, a) in per.items():
            mu, sd = mean_sd(a)
            out[m] = [(s - mu) / max(sd, 1e-3) for s, ok in r]
        return out
    if callable(method):  # a learned method: per query -> per modality, the fused score of each result
        return method(per)
    if isinstance(method, dict):  # per-modality affine map of the raw cosine
        return {m: [method[m][0] * s + method[m][1] for s, ok in r] for m, (r, c, a) in per.items()}
    raise ValueError(method)


def recall(prepared, method, subset=None):
    own = fused = 0
    tasks = collections.defaultdict(lambda: [0, 0, 0])
    for i, (task, own_hit, per) in enumerate(prepared):
        if subset is not None and i not in subset:
            continue
        scores = fused_scores(method, per)
        merged = sorted(((scores[m][j], s, ok) for m, (r, c, a) in per.items() for j, (s, ok) in enumerate(r)),
                        key=lambda t: (-t[0], -t[1]))
        hit = any(ok for _, _, ok in merged[:K])
        own += own_hit
        fused += hit
        tasks[task][0] += 1
        tasks[task][1] += own_hit
        tasks[task][2] += hit
    return own, fused, tasks


def fit_affine(prepared, subset):
    params = {m: (1.0, 0.0) for m in MODS}
    best = recall(prepared, params, subset)[1]
    for _ in range(2):
        for m in MODS:
            for a in (0.25, 0.5, 1, 1.5, 2, 3):
                for b in (x / 20 for x in range(-12, 13)):
                    trial = dict(params)
                    trial[m] = (a, b)
                    got = recall(prepared, trial, subset)[1]
                    if got > best:
                        best, params = got, trial
    return params


def fit_platt(prepared, subset):
    """Per modality, P(right | cosine) = 1 / (1 + exp(-(a s + b))) by Newton's method on the results' rows."""
    params = {}
    for m in MODS:
        xs = [(s, ok) for i, (t, o, per) in enumerate(prepared) if i in subset for s, ok in per[m][0]]
        a, b = 10.0, -5.0
        for _ in range(100):
            ga = gb = haa = hab = hbb = 0.0
            for s, ok in xs:
                p = 1 / (1 + math.exp(-(a * s + b)))
                g, w = p - ok, p * (1 - p)
                ga, gb, haa, hab, hbb = ga + g * s, gb + g, haa + w * s * s, hab + w * s, hbb + w
            det = haa * hbb - hab * hab + 1e-9
            a, b = a - (hbb * ga - hab * gb) / det, b - (haa * gb - hab * ga) / det
        params[m] = (a, b)
    return params


def profile(per):
    """The query's score profile: per modality its best cosine, the gap to its second and its lead over the mean of
    the candidate rows (an exact match stands out from its modality; a near miss in one attribute less so)."""
    out = [1.0]
    for m in MODS:
        r, c, a = per[m]
        best = r[0][0] if r else 0.0
        second = r[1][0] if len(r) > 1 else best
        out += [best, best - second, best - (sum(c) / len(c) if c else 0.0)]
    return out


def hit_features(per, m, j, query_profile):
    """Per-modality logistic features of result j of modality m, in modality m's block of the weight vector."""
    r, c, a = per[m]
    s = r[j][0]
    mu, sd = mean_sd(c)
    block = [1.0, s, s - r[0][0], j / K, (s - mu) / max(sd, 1e-3)] + query_profile[1::3]
    return [x for mm in MODS for x in (block if mm == m else [0.0] * len(block))]


def newton_logistic(rows, l2=1e-2, iterations=40):
    """Binary logistic regression by Newton's method (ridge-penalised); rows are (features, 0/1)."""
    d = len(rows[0][0])
    w = [0.0] * d
    for _ in range(iterations):
        g = [l2 * x for x in w]
        h = [[l2 if a == b else 0.0 for b in range(d)] for a in range(d)]
        for x, y in rows:
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, x))))))
            nonzero = [k for k in range(d) if x[k]]
            for a in nonzero:
                g[a] += (p - y) * x[a]
                for b in nonzero:
                    h[a][b] += p * (1 - p) * x[a] * x[b]
        w = [wi - di for wi, di in zip(w, solve(h, g))]
    return w


def solve(a, b):
    """a x = b by Gauss-Jordan elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[pivot] = m[pivot], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def softmax(z):
    top = max(z)
    e = [math.exp(x - top) for x in z]
    return [x / sum(e) for x in e]


TARGET = {"t2i": "IMAGE", "t2v": "VIDEO", "t2d": "DOCUMENT", "t2t": "TEXT"}


def fit_intent(prepared, subset, l2=1e-3, steps=3000, rate=0.5):
    """P(the query targets modality m | its score profile): multinomial logistic on standardised features, by
    gradient descent; and P(the answer is at rank j | its modality), counted with add-one smoothing (rank K = not
    in the first K). Returns a function per query -> per modality, the fused score of each of its results."""
    xs = [profile(prepared[i][2]) for i in subset]
    ys = [MODS.index(TARGET[prepared[i][0]]) for i in subset]
    centre = [0.0] + [sum(x[k] for x in xs) / len(xs) for k in range(1, len(xs[0]))]
    scale = [1.0] + [max(1e-6, math.sqrt(sum((x[k] - centre[k]) ** 2 for x in xs) / len(xs)))
                     for k in range(1, len(xs[0]))]
    standard = lambda x: [(v - c) / s for v, c, s in zip(x, centre, scale)]
    zs = [standard(x) for x in xs]
    w = [[0.0] * len(centre) for _ in MODS]
    for _ in range(steps):
        grad = [[l2 * v for v in row] for row in w]
        for z, y in zip(zs, ys):
            p = softmax([sum(a * b for a, b in zip(row, z)) for row in w])
            for c in range(len(MODS)):
                for k in range(len(z)):
                    grad[c][k] += (p[c] - (c == y)) * z[k] / len(zs)
        w = [[v - rate * g for v, g in zip(row, grow)] for row, grow in zip(w, grad)]
    counts = {m: [1.0] * (K + 1) for m in MODS}
    for i in subset:
        task, _, per = prepared[i]
        m = TARGET[task]
        counts[m][next((j for j, (s, ok) in enumerate(per[m][0][:K]) if ok), K)] += 1
    at_rank = {m: [x / sum(c) for x in c] for m, c in counts.items()}

    def fused(per):
        p = softmax([sum(a * b for a, b in zip(row, standard(profile(per)))) for row in w])
        return {m: [p[c] * at_rank[m][min(j, K)] for j in range(len(per[m][0]))] for c, m in enumerate(MODS)}
    return fused


def fit_profile_logistic(prepared, subset):
    rows = []
    for i in subset:
        _, _, per = prepared[i]
        q = profile(per)
        rows += [(hit_features(per, m, j, q), ok) for m in MODS for j, (s, ok) in enumerate(per[m][0])]
    w = newton_logistic(rows)

    def fused(per):
        q = profile(per)  # once per query, not per hit
        return {m: [sum(a * b for a, b in zip(w, hit_features(per, m, j, q))) for j in range(len(per[m][0]))]
                for m in MODS}
    return fused


def compare(rows_file):
    prepared = prepare(json.load(open(rows_file)))
    everything = set(range(len(prepared)))
    print(f"{len(prepared)} held-out queries; recall@10 over every modality / within the answer's own modality")
    for method in ("none", "zscore", "rrf", "background"):
        own, fused, tasks = recall(prepared, method)
        detail = "  ".join(f"{t} {v[2] / v[0]:.2f}/{v[1] / v[0]:.2f}" for t, v in sorted(tasks.items()))
        print(f"  {method:26s} fused/own {fused / own:.3f}   {detail}")
    own, fused, _ = recall(prepared, fit_affine(prepared, everything))
    print(f"  {'affine, fitted on the test':26s} fused/own {fused / own:.3f}   (ceiling of per-modality calibration)")
    rng = random.Random(7)
    for name, fit in (("affine, held out", fit_affine), ("platt, held out", fit_platt),
                      ("profile logistic, held out", fit_profile_logistic), ("intent x rank, held out", fit_intent)):
        total_own = total_fused = 0
        per_task = collections.defaultdict(lambda: [0, 0, 0])
        for _ in range(3):
            ids = list(everything)
            rng.shuffle(ids)
            halves = (set(ids[::2]), set(ids[1::2]))
            for train, test in (halves, halves[::-1]):
                own, fused, tasks = recall(prepared, fit(prepared, train), test)
                total_own, total_fused = total_own + own, total_fused + fused
                for t, v in tasks.items():
                    per_task[t] = [a + b for a, b in zip(per_task[t], v)]
        detail = "  ".join(f"{t} {v[2] / v[0]:.2f}/{v[1] / v[0]:.2f}" for t, v in sorted(per_task.items()))
        print(f"  {name:26s} fused/own {total_fused / total_own:.3f}   {detail}   (3 x 2-fold)", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "dump":
        dump(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "compare":
        compare(sys.argv[2])
    else:
        sys.exit(__doc__)
