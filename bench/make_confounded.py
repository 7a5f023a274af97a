#!/usr/bin/env python3
"""Writes data/confounded.csv: 400 simulated rows for the kernel balancing examples (true ATE = 2).

age, income, score ~ N(0, 1); P(treated | x) = logistic(1.5 age - 0.5 income);
y = 2 treated + 3 age + income + score + N(0, 0.5^2). Seeded, so the file is reproducible.
"""
import math
import random
import sys

random.seed(7)
out = sys.argv[1] if len(sys.argv) > 1 else "data/confounded.csv"
with open(out, "w") as f:
    f.write("age,income,score,treated,y\n")
    for _ in range(400):
        a, b, c = random.gauss(0, 1), random.gauss(0, 1), random.gauss(0, 1)
        t = 1 if random.random() < 1 / (1 + math.exp(-(1.5 * a - 0.5 * b))) else 0
        y = 2 * t + 3 * a + b + c + random.gauss(0, 0.5)
        f.write(f"{a:.4f},{b:.4f},{c:.4f},{t},{y:.4f}\n")
