#!/usr/bin/env python3
"""Writes a generated Kith site for benchmarks: N assets, N/5 stories.

usage: corpus.py OUT --assets N [--stories M] [--seed S]

OUT gets content/ (site.yml, assets/, stories/) and templates/ (a copy of the
project's default theme). The same arguments always give the same files.
Profiles look like the sample directory's: six types, ten declared areas,
tags, gifts and needs, contact details, positions, two to four paragraphs of
Markdown with headings and lists, typed connections to other assets, links to
other profiles in the body; stories name the assets they are about.
"""
import argparse, os, random, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))

TYPES = ["individual", "association", "institution", "space", "economy", "culture"]
AREAS = ["Brook Street", "St Aidan's", "Canal End", "Mill Hill", "Fernbank",
         "Quarry Road", "Wharfside", "Old Town", "Hillside", "Station Road"]
TAGS = ["food", "money", "sport", "families", "young-people", "elders", "health", "learning",
        "gardening", "music", "repair", "language", "housing", "art", "faith", "history",
        "cycling", "crafts", "environment", "welcome"]
KINDS = ["partners with", "meets at", "supports", "supplies", "volunteers at", "funds", "runs", "based at"]
WORDS = ("neighbours garden library hall market tea kitchen river music language stories elders "
         "children families weekly welcome share skills repair bread allotment choir bus walk "
         "morning evening lunch advice help friendly quiet open free local street park corner").split()
FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Grace", "Hassan", "Isla", "Jun", "Kofi", "Lena"]
NOUNS = ["Garden", "Hall", "Club", "Choir", "Kitchen", "Library", "Market", "Workshop", "Pantry", "Studio"]


def sentence(rng, low=8, high=18):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def yaml_text(text):
    return "'" + text.replace("'", "''") + "'"


def asset(rng, index, count):
    kind = TYPES[index % len(TYPES)]
    if kind == "individual":
        title = f"{rng.choice(FIRST)} {rng.choice(WORDS).capitalize()} {index}"
    else:
        title = f"{rng.choice(AREAS)} {rng.choice(WORDS).capitalize()} {rng.choice(NOUNS)} {index}"
    lines = ["---", f"title: {yaml_text(title)}", f"type: {kind}", f"summary: {yaml_text(sentence(rng, 6, 14))}"]
    areas = rng.sample(AREAS, rng.choice([1, 1, 1, 2]))
    lines.append("area: " + (yaml_text(areas[0]) if len(areas) == 1 else "[" + ", ".join(yaml_text(a) for a in areas) + "]"))
    lines.append("tags: [" + ", ".join(rng.sample(TAGS, rng.randint(1, 4))) + "]")
    if kind != "individual" or rng.random() < 0.2:
        lines.append(f"address: {index} {rng.choice(WORDS).capitalize()} Road, Aldbridge AX{index % 9} {index % 7}MH")
        lines.append(f"geo: {{lat: {53.78 + rng.random() * 0.05:.5f}, lon: {-1.57 + rng.random() * 0.06:.5f}}}")
        lines.append("contact:")
        lines.append(f"  phone: 01632 {960000 + index % 999:06d}")
        lines.append(f"  email: hello{index}@example.org")
    if kind == "individual" and rng.random() < 0.2:
        lines.append("public_contact: true")
    lines.append("hours: " + rng.choice(["Daily 09:00-17:00", "Saturdays 10:00-12:00", "By arrangement", "Weekdays after 18:00"]))
    lines.append("languages: [" + ", ".join(rng.sample(["English", "Urdu", "Polish", "Arabic", "Somali", "Punjabi"], rng.randint(1, 3))) + "]")
    lines.append("gifts:")
    for _ in range(rng.randint(1, 3)):
        lines.append(f"  - {rng.choice(WORDS)} {rng.choice(WORDS)}")
    if rng.random() < 0.6:
        lines.append("needs:")
        for _ in range(rng.randint(1, 2)):
            lines.append(f"  - {rng.choice(WORDS)} {rng.choice(WORDS)}")
    targets = sorted({rng.randrange(count) for _ in range(rng.randint(0, 4))} - {index})
    if targets:
        lines.append("connections:")
        for target in targets:
            lines.append(f"  - to: asset-{target:05d}")
            lines.append(f"    kind: {rng.choice(KINDS)}")
            if rng.random() < 0.5:
                lines.append(f"    note: {yaml_text(sentence(rng, 5, 10))}")
    lines.append(f"updated: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}")
    lines.append("---")
    body = [paragraph(rng), "", "## What happens here", "", paragraph(rng), ""]
    other = rng.randrange(count)
    if other != index:
        body += [f"Run with the help of [a neighbour](asset-{other:05d}.md) and *many* friends.", ""]
    body += ["## How to get involved", ""] + [f"- {sentence(rng, 4, 8)}" for _ in range(rng.randint(2, 4))] + ["", paragraph(rng), ""]
    return "\n".join(lines) + "\n" + "\n".join(body)


def story(rng, index, assets):
    named = sorted(rng.sample(range(assets), min(assets, rng.randint(1, 3))))
    lines = ["---", f"title: {yaml_text('Story ' + str(index) + ': ' + sentence(rng, 3, 6)[:-1])}",
             f"date: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
             f"author: {rng.choice(FIRST)} {rng.choice(WORDS).capitalize()}",
             f"summary: {yaml_text(sentence(rng, 8, 16))}",
             "assets: [" + ", ".join(f"asset-{a:05d}" for a in named) + "]",
             "tags: [" + ", ".join(rng.sample(TAGS, rng.randint(1, 3))) + "]", "---"]
    body = [paragraph(rng), "", f"It started at [the {rng.choice(NOUNS).lower()}](../assets/asset-{named[0]:05d}.md).", "",
            paragraph(rng), "", paragraph(rng), ""]
    return "\n".join(lines) + "\n" + "\n".join(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--assets", type=int, default=1000)
    parser.add_argument("--stories", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    stories = args.assets // 5 if args.stories is None else args.stories
    rng = random.Random(args.seed)
    content = os.path.join(args.out, "content")
    for folder in ("assets", "stories"):
        os.makedirs(os.path.join(content, folder), exist_ok=True)
    with open(os.path.join(content, "site.yml"), "w") as f:
        f.write("title: Aldbridge Benchmark Directory\nlanguage: en-GB\nbase_url: https://example.org/aldbridge/\nareas:\n")
        for area in AREAS:
            f.write(f"  - name: {yaml_text(area)}\n")
    for index in range(args.assets):
        with open(os.path.join(content, "assets", f"asset-{index:05d}.md"), "w") as f:
            f.write(asset(rng, index, args.assets))
    for index in range(stories):
        with open(os.path.join(content, "stories", f"story-{index:05d}.md"), "w") as f:
            f.write(story(rng, index, args.assets))
    templates = os.path.join(args.out, "templates")
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(os.path.join(PROJECT, "templates"), templates)


if __name__ == "__main__":
    main()
