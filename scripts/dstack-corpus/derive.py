"""Derive the expected facts of each configuration with dstack's own models (test/fixtures/dstack-corpus).

Usage:
  python -m venv --system-site-packages venv
  venv/bin/pip install "pydantic>=2.12" gpuhunt==0.1.30 "apscheduler<4" pyyaml
  venv/bin/python derive.py DSTACK_CHECKOUT/src test/fixtures/dstack-corpus \
      candidates.json:COMMIT [earlier.json:EARLIER_COMMIT:earlier-] ...
Each CANDIDATES:COMMIT[:PREFIX] is the output of extract.py on a checkout of that commit; the first
occurrence of a configuration wins (later ones are listed under `also_in`); PREFIX starts the folder names.
The expectations always come from the models at DSTACK_SRC.

Reads the candidates that extract.py found (cands.json), parses each with
`parse_apply_configuration` (dstack/_internal/core/models/configurations.py), applies the defaults
dstack's server applies before matching offers (GPU vendor inference, fleet resources, retry and
duration defaults), and writes one fixture per distinct configuration.
"""
import json, os, re, sys
import yaml

DSTACK_SRC, OUT = sys.argv[1:3]
SETS = [(a.split(":") + [""])[:3] for a in sys.argv[3:]]
sys.path.insert(0, DSTACK_SRC)
import gpuhunt  # noqa: E402
from dstack._internal.core.models.configurations import (  # noqa: E402
    DevEnvironmentConfiguration, ServiceConfiguration, TaskConfiguration, parse_apply_configuration)
from dstack._internal.core.models.fleets import FleetConfiguration  # noqa: E402
from dstack._internal.core.models.profiles import (  # noqa: E402
    DEFAULT_FLEET_TERMINATION_IDLE_TIME, DEFAULT_RUN_TERMINATION_IDLE_TIME, DEFAULT_STOP_DURATION)
from dstack._internal.core.models.resources import DEFAULT_GPU_SPEC, ResourcesSpec  # noqa: E402
from dstack._internal.core.models.volumes import InstanceMountPoint  # noqa: E402
from dstack._internal.core.models.profiles import DEFAULT_RETRY_DURATION, RetryEvent  # noqa: E402
from dstack._internal.utils.gpu import detect_gpu_vendors_by_gpu_name  # noqa: E402


def num(x):
    if x is None:
        return None
    f = float(x)
    return int(f) if f.is_integer() else round(f, 6)


def rng(r):
    return None if r is None else {"min": num(r.min), "max": num(r.max)}


def vendor_of(gpu, image, docker, is_run):
    """dstack/_internal/server/services/resources.py set_default_gpu_spec_vendor (runs); fleets: names only."""
    if gpu.vendor is not None:
        return gpu.vendor.value
    if gpu.count.max == 0:
        return None
    if not gpu.name:
        return "nvidia" if is_run and image is None and not docker else None
    vendors = set()
    for name in gpu.name:
        found = detect_gpu_vendors_by_gpu_name(name)
        vendors.update(found if found else {None})
    if len(vendors) == 1:
        v = next(iter(vendors))
        return None if v is None else v.value
    return None


def resources(res, image, docker, is_run):
    gpu = res.gpu if res.gpu is not None else DEFAULT_GPU_SPEC.model_copy(deep=True)
    return {
        "cpu": {"arch": res.cpu.arch.value if res.cpu.arch else None, **rng(res.cpu.count)},
        "memory": rng(res.memory),
        "shm_size": num(res.shm_size),
        "disk": None if res.disk is None else rng(res.disk.size),
        "gpu": {
            "vendor": vendor_of(gpu, image, docker, is_run),
            "names": gpu.name,
            "count": rng(gpu.count),
            "memory": rng(gpu.memory),
            "total_memory": rng(gpu.total_memory),
        },
    }


def off(v, default):
    if v is None:
        return default
    if v == "off" or (isinstance(v, int) and v < 0):
        return "off"
    return int(v)


def retry(conf):
    # dstack/_internal/core/services/profiles.py get_retry (not imported: it pulls in the repos models)
    r = conf.retry
    if r is None or r is False:
        return None
    every = sorted(e.value for e in RetryEvent)
    if r is True:
        return {"on_events": every, "duration": int(DEFAULT_RETRY_DURATION)}
    events = every if r.on_events is None else sorted(e.value for e in r.on_events)
    return {"on_events": events, "duration": int(r.duration if r.duration is not None else DEFAULT_RETRY_DURATION)}


def port(p):
    return {"local": p.local_port, "container": p.container_port}


def volume(v):
    if isinstance(v, InstanceMountPoint):
        return {"instance_path": v.instance_path, "path": v.path, "optional": bool(v.optional)}
    names = v.name if isinstance(v.name, list) else [v.name]
    return {"name": names, "path": v.path}


def run_facts(conf):
    f = {"type": conf.type, "image": conf.image}
    if isinstance(conf, DevEnvironmentConfiguration):
        f["ide"] = conf.ide
    groups = getattr(conf, "groups", None)
    if groups is None:
        f["resources"] = resources(conf.resources, conf.image, conf.docker, True)
    # jobs/configurators/base.py _privileged: `docker: true` runs privileged.
    f["privileged"] = True if conf.docker is True else conf.privileged
    f["spot_policy"] = (conf.spot_policy.value if conf.spot_policy else "on-demand")
    f["backends"] = None if conf.backends is None else [b.value for b in conf.backends]
    f["retry"] = retry(conf)
    f["max_duration"] = off(conf.max_duration, "off")
    f["stop_duration"] = off(conf.stop_duration, DEFAULT_STOP_DURATION)
    f["idle_duration"] = off(conf.idle_duration, DEFAULT_RUN_TERMINATION_IDLE_TIME)
    if isinstance(conf, DevEnvironmentConfiguration):
        f["inactivity_duration"] = off(conf.inactivity_duration, "off")
    f["env"] = sorted(conf.env.keys()) if hasattr(conf.env, "keys") else sorted(conf.env)
    f["volumes"] = [volume(v) for v in conf.volumes]
    if isinstance(conf, (DevEnvironmentConfiguration, TaskConfiguration)) and groups is None:
        f["ports"] = [port(p) for p in conf.ports]
    if isinstance(conf, TaskConfiguration):
        f["nodes"] = conf.nodes_num
        if groups is not None:
            f["groups"] = [
                {"name": g.required_name, "nodes": g.nodes,
                 "resources": resources(g.resources, conf.image, conf.docker, True)}
                for g in groups]
    if isinstance(conf, ServiceConfiguration):
        f["port"] = conf.port.container_port
        f["auth"] = conf.auth
        f["model"] = None if conf.model is None else conf.model.name
        if groups is None:
            f["replicas"] = rng(conf.replicas) if conf.replicas is not None else {"min": 1, "max": 1}
        else:
            f["groups"] = [
                {"name": g.name, "replicas": rng(g.replicas),
                 "resources": resources(g.resources, g.image or conf.image,
                                        g.docker if g.docker is not None else conf.docker, True)}
                for g in groups]
    return f


def fleet_facts(conf):
    f = {"type": "fleet"}
    if conf.ssh_config is not None:
        f["ssh_hosts"] = [h if isinstance(h, str) else h.hostname for h in conf.ssh_config.hosts]
    else:
        res = conf.resources if conf.resources is not None else ResourcesSpec.unconstrained()
        f["resources"] = resources(res, None, None, False)
        n = conf.nodes
        f["nodes"] = None if n is None else {"min": n.min, "target": n.target, "max": n.max}
        f["spot_policy"] = conf.spot_policy.value if conf.spot_policy else "on-demand"
        f["backends"] = None if conf.backends is None else [b.value for b in conf.backends]
        f["retry"] = retry(conf)
    f["placement"] = conf.placement.value if conf.placement else "any"
    f["blocks"] = conf.blocks
    if conf.ssh_config is None:
        f["idle_duration"] = off(conf.idle_duration, DEFAULT_FLEET_TERMINATION_IDLE_TIME)
    return f


def notes_for(data, expect):
    """What a reader should know about how `expect` was read (the facts left out, the defaults applied)."""
    notes = []
    if not expect["accepted"]:
        notes.append("Printed as an excerpt or with a mistake; dstack's models reject it as written.")
        return notes
    if expect["type"] == "fleet":
        if "ssh_hosts" in expect:
            notes.append("SSH fleet: resources, nodes and idle_duration are left out (they do not apply).")
        else:
            if data.get("resources") is None:
                notes.append("No resources: dstack matches any instance (server/services/fleets.py"
                             " get_fleet_requirements uses ResourcesSpec.unconstrained()).")
            if (data.get("resources") or {}).get("gpu") is not None:
                notes.append("dstack's fleet model leaves gpu.vendor unset and matches offers by name;"
                             " gpu.vendor here is the vendor those names imply (null when they imply none).")
    if expect["type"] == "volume" and "region" not in expect:
        notes.append("region left out: a Kubernetes volume has none (dstack's model stores an empty string).")
    if "groups" in expect:
        notes.append("groups: resources are per group (top-level resources is not used for provisioning).")
    if "${{" in json.dumps(data):
        notes.append("`${{ ... }}` expressions are kept as written: dstack interpolates them when it runs the job.")
    return notes


def volume_facts(conf):
    facts = {"type": "volume", "name": conf.name, "backend": conf.backend.value}
    if conf.backend.value != "kubernetes":  # a Kubernetes volume has no region (dstack stores "")
        facts["region"] = getattr(conf, "region", None)
    return {**facts, "size": num(conf.size), "external_id": conf.external_volume_id}


def facts(data):
    conf = parse_apply_configuration(data)
    if isinstance(conf, FleetConfiguration):
        return fleet_facts(conf)
    if getattr(conf, "type", None) == "volume":
        return volume_facts(conf)
    return run_facts(conf)


def area_and_page(path):
    p = path
    if p.endswith(".md") and p.startswith("examples/"):
        parts = re.sub(r"/README\.md$", "", p).split("/")[1:]
        return "examples-" + parts[0], "-".join(parts[1:]) or parts[0]
    if p.startswith("mkdocs/docs/") or p.startswith("docs/docs/"):
        p = p.split("docs/docs/", 1)[1]
        p = re.sub(r"/index\.md$", ".md", p)[:-3]
        parts = p.split("/")
        if parts[0] == "examples":
            return "examples-" + parts[1], "-".join(parts[2:])
        if parts[0] == "guides":
            return "guides", parts[-1]
        if len(parts) == 1:
            return "getting-started", parts[0]
        return parts[0], "-".join(parts[1:])
    parts = p.split("/")[1:]
    name = os.path.basename(p).replace(".dstack", "").replace(".yaml", "").replace(".yml", "").strip(".") or "dstack"
    return "repo-examples", "-".join([*parts[:-1], name])


def slug(s):
    s = re.sub(r"[^a-z0-9]+", "-", (s or "").lower()).strip("-")
    return s[:40].strip("-")


def block(text):
    return "".join("  " + l if l.strip() else "\n" for l in text.splitlines(True)) if text else ""


by_text = {}
for cands_file, commit, prefix in SETS:
    for c in json.load(open(cands_file)):
        # Trailing blanks are dropped (they do not change the YAML): a block scalar cannot keep them.
        c["text"] = "".join(l.rstrip() + "\n" for l in c["text"].splitlines())
        c["commit"], c["prefix"] = commit, prefix
        by_text.setdefault(c["text"], []).append(c)
counters = {}
written = 0
for text, group in by_text.items():
    first = group[0]
    data = yaml.safe_load(text)
    try:
        expect = {"accepted": True, **facts(data)}
        area, page = area_and_page(first["file"])
    except Exception as e:  # dstack's models reject it as printed
        cause = getattr(e, "args", [None])[0]
        errs = cause.errors() if hasattr(cause, "errors") else None
        msg = "; ".join(f'{".".join(str(x) for x in er["loc"])}: {er["msg"]}' for er in errs) if errs else str(e)
        expect = {"accepted": False, "type": data.get("type"), "reason": msg}
        area, page = "rejected", first["prefix"] + area_and_page(first["file"])[1]
    if area != "rejected":
        area = first["prefix"] + area
    key = (area, page)
    counters[key] = counters.get(key, 0) + 1
    name = f"{page}-{counters[key]:02d}"
    label = first["heading"] or first["title"]
    if slug(label):
        name += "-" + slug(label)
    src = {"repo": "dstackai/dstack", "commit": first["commit"], "path": first["file"]}
    if first["heading"]:
        src["section"] = first["heading"]
    if first["title"]:
        src["file"] = first["title"]
    also = sorted({g["file"] + (f' ("{g["heading"]}")' if g["heading"] else "") for g in group[1:]})
    where = f'{first["file"]}' + (f', section "{first["heading"]}"' if first["heading"] else "")
    lines = [f"# A configuration from dstack's documentation and examples: {where}.",
             "# Copied as published; `expect` holds what dstack's models give it (see ../README.md).",
             yaml.safe_dump({"source": src}, sort_keys=False, allow_unicode=True, width=1000).rstrip()]
    if also:
        lines.append(yaml.safe_dump({"also_in": also}, sort_keys=False, allow_unicode=True, width=1000).rstrip())
    lines.append("config: |\n" + block(text).rstrip("\n"))
    notes = notes_for(data, expect)
    lines.append(yaml.safe_dump({"expect": expect}, sort_keys=False, default_flow_style=None if expect["accepted"] else False, allow_unicode=True, width=110).rstrip())
    if notes:
        lines.append(yaml.safe_dump({"notes": notes}, sort_keys=False, allow_unicode=True, width=110).rstrip())
    out = "\n".join(lines) + "\n"
    back = yaml.safe_load(out)
    assert back["config"] == text, (name, text)
    assert back["expect"] == expect
    os.makedirs(os.path.join(OUT, area), exist_ok=True)
    with open(os.path.join(OUT, area, name + ".yml"), "w") as fh:
        fh.write(out)
    written += 1
print(written, "fixtures", file=sys.stderr)
