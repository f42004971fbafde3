"""Pages for labelers and vendors from the policy files: what each vendor works
under (its SLAs and the quality plans of the taxonomies it labels), the workflow
a task goes through, each dataset spec as a one-page document, and the privacy
rules. Everything shown is read from the same YAML ``taxops validate`` checks;
views hold display-ready values, so the templates stay free of logic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from taxops.models.dataset_spec import DatasetSpec
from taxops.models.privacy import Privacy
from taxops.models.quality_plan import QualityPlan
from taxops.models.sla import Action, Sla
from taxops.models.workflow import DONE, Workflow
from taxops.policies import Policies
from taxops.prose import render
from taxops.site.context import Link
from taxops.site.pages import Page, TocEntry
from taxops.site.urls import page_url, relative_url

INDEX = "working-with-us.md"
PRIVACY = "working-with-us/privacy.md"


def _vendor_src(vendor_id: str) -> str:
    return f"working-with-us/vendors/{vendor_id}.md"


def _workflow_src(workflow_id: str) -> str:
    return f"working-with-us/workflows/{workflow_id}.md"


def _spec_src(spec_id: str) -> str:
    return f"working-with-us/specs/{spec_id}.md"


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:g} %"


def _prose(text: str | None) -> Markup:
    """Policy prose (Markdown, raw HTML shown as text); links are not followed."""
    return (
        Markup(render(text, lambda target, image: None, lambda label: None)) if text else Markup("")
    )


@dataclass(frozen=True)
class Linker:
    """Links as seen from one page."""

    src: str
    directory_urls: bool
    taxonomy_home: Callable[[str], str | None]

    def to(self, target_src: str, text: str) -> Link:
        here = page_url(self.src, self.directory_urls)
        return Link(text, relative_url(page_url(target_src, self.directory_urls), here))

    def taxonomy(self, taxonomy_id: str, version: str = "") -> Link | str:
        home = self.taxonomy_home(taxonomy_id)
        text = f"{taxonomy_id} {version}".strip()
        return self.to(home, text) if home else text


# --- quality expectations ------------------------------------------------------


@dataclass(frozen=True)
class QualityView:
    taxonomy: Link | str
    agreement: str
    gold: str
    audit: str
    review: str
    pass_mark: str
    labels: tuple[tuple[str, str, str, str], ...]


def quality_view(plan: QualityPlan, link: Linker) -> QualityView:
    metric = plan.agreement.metric.display_name
    return QualityView(
        link.taxonomy(plan.taxonomy),
        f"{metric} of at least {plan.agreement.target:g}",
        f"{_percent(plan.gold_accuracy_target)} correct on gold items"
        + (f" ({_percent(plan.gold_rate)} of tasks are gold)" if plan.gold_rate else ""),
        plan.audit.describe(),
        f"{_percent(plan.review_rate)} of labeled items are reviewed by a second person",
        f"{plan.certification.pass_mark * 100:g} % on the quiz",
        tuple(
            (
                t.label,
                f"{t.agreement_target:g}" if t.agreement_target is not None else "—",
                _percent(t.gold_accuracy_target),
                t.note or "",
            )
            for t in plan.labels
        ),
    )


# --- vendors -------------------------------------------------------------------


@dataclass(frozen=True)
class SlaView:
    id: str
    workflow: Link | str
    taxonomies: tuple[Link | str, ...]
    rates: tuple[tuple[str, str, str], ...]
    throughput: str
    turnaround: str
    quality: tuple[str, ...]
    rework: str
    window: str
    consequences: tuple[str, ...]


def sla_view(sla: Sla, link: Linker, policies: Policies) -> SlaView:
    workflow = (
        link.to(_workflow_src(sla.workflow), w.model.title)
        if sla.workflow and (w := policies.workflow(sla.workflow))
        else (sla.workflow or "all the vendor's work")
    )
    quality = []
    if sla.quality.gold_accuracy is not None:
        quality.append(f"at least {_percent(sla.quality.gold_accuracy)} correct on gold items")
    if sla.quality.agreement is not None:
        a = sla.quality.agreement
        quality.append(f"{a.metric.display_name} of at least {a.floor:g}")
    consequences = []
    for c in sla.consequences:
        after = f" {c.after_misses} windows in a row" if c.after_misses > 1 else ""
        if c.action is Action.ESCALATE:
            what = f"escalated to {c.escalate_to}"
        elif c.action is Action.PENALTY:
            what = f"a service credit of {c.penalty_percent or 0:g} % of the window's invoice"
        elif c.action is Action.REWORK:
            what = "the affected items are redone at the vendor's cost"
        else:
            what = "the SLA may be ended"
        target = c.when.value.replace("_", " ")
        text = f"{'Any target' if target == 'any' else target.capitalize()} missed{after}: {what}."
        consequences.append(text + (f" {c.description}" if c.description else ""))
    return SlaView(
        sla.id,
        workflow,
        tuple(link.taxonomy(t) for t in sla.taxonomies),
        tuple(
            (
                r.task.value,
                f"{r.cost_per_item:g} {sla.currency}",
                f"{r.items_per_day:,}"
                if r.items_per_day
                else f"{sla.throughput_per_day:,} (all tasks)",
            )
            for r in sla.rates
        ),
        f"{sla.throughput_per_day:,} items a day",
        f"{sla.turnaround.percentile:g} % of items delivered within {sla.turnaround.hours:g} hours "
        "of task creation",
        tuple(quality),
        f"at most {_percent(sla.rework_rate_max)} of delivered items sent back"
        if sla.rework_rate_max is not None
        else "—",
        f"{sla.measurement_window_days} days",
        tuple(consequences),
    )


@dataclass(frozen=True)
class VendorView:
    home: Link
    name: str
    regions: str
    certifications: tuple[tuple[str, str], ...]
    slas: tuple[SlaView, ...]
    quality: tuple[QualityView, ...]
    privacy: Link


def vendor_page(
    vendor_id: str, policies: Policies, directory_urls: bool, home: Callable[[str], str | None]
) -> Page:
    src = _vendor_src(vendor_id)
    link = Linker(src, directory_urls, home)
    governed = policies.vendor(vendor_id)
    assert governed is not None
    v = governed.model
    slas = [s.model for s in policies.slas if s.model.vendor == vendor_id]
    taxonomies = dict.fromkeys([t for s in slas for t in s.taxonomies] or list(v.taxonomies))
    plans = [p.model for t in taxonomies if (p := policies.quality_plan(t))]
    view = VendorView(
        link.to(INDEX, "Working with us"),
        v.name,
        ", ".join(v.regions),
        tuple((c.name, str(c.expires)) for c in v.certifications),
        tuple(sla_view(s, link, policies) for s in slas),
        tuple(quality_view(p, link) for p in plans),
        link.to(PRIVACY, "the privacy rules"),
    )
    toc = [TocEntry(f"sla-{s.id}", f"SLA {s.id}") for s in slas]
    toc += [TocEntry("quality", "Quality expectations")] if plans else []
    return Page(
        src, f"{v.name}: SLA and quality", "vendor.html.j2", view, toc=toc, nav_title=v.name
    )


# --- workflows -----------------------------------------------------------------


@dataclass(frozen=True)
class StageView:
    id: str
    task: str
    rate: str
    annotators: int
    who: str
    routes: tuple[str, ...]
    escalation: str


@dataclass(frozen=True)
class WorkflowView:
    home: Link
    title: str
    description: Markup
    taxonomies: tuple[Link | str, ...]
    stages: tuple[StageView, ...]
    escalation: str


def _escalation(decided_by: str, within_hours: float, channel: str | None) -> str:
    where = f", raised in {channel}" if channel else ""
    return f"{decided_by} decides within {within_hours:g} hours{where}"


def workflow_page(
    workflow: Workflow, policies: Policies, directory_urls: bool, home: Callable[[str], str | None]
) -> Page:
    src = _workflow_src(workflow.id)
    link = Linker(src, directory_urls, home)
    stages = []
    for s in workflow.stages:
        vendor = policies.vendor(s.vendor) if s.vendor else None
        who = " ".join(
            x
            for x in (
                vendor.model.name if vendor else s.vendor,
                f"({s.role})" if s.role and s.vendor else s.role,
            )
            if x
        )
        routes = tuple(
            f"{r.when.value.replace('_', ' ')} → {'done' if r.to == DONE else r.to}"
            for r in s.routes
        )
        esc = s.escalation
        stages.append(
            StageView(
                s.id,
                s.task.value,
                _percent(s.rate),
                s.annotators,
                who or "—",
                routes,
                _escalation(esc.decided_by, esc.within_hours, esc.channel) if esc else "",
            )
        )
    e = workflow.escalation
    view = WorkflowView(
        link.to(INDEX, "Working with us"),
        workflow.title,
        _prose(workflow.description),
        tuple(link.taxonomy(t) for t in workflow.taxonomies),
        tuple(stages),
        _escalation(e.decided_by, e.within_hours, e.channel),
    )
    return Page(
        src, f"Workflow: {workflow.title}", "workflow.html.j2", view, nav_title=workflow.title
    )


# --- dataset specs -------------------------------------------------------------


@dataclass(frozen=True)
class SpecView:
    home: Link
    spec: DatasetSpec
    purpose: Markup
    taxonomy: Link | str
    data_class: Link
    fields: tuple[tuple[str, str, str, str, str], ...]
    quality: tuple[str, ...]
    vendor: Link | str
    workflow: Link | str
    sign_off: tuple[tuple[str, str, str], ...]


def spec_page(
    spec: DatasetSpec, policies: Policies, directory_urls: bool, home: Callable[[str], str | None]
) -> Page:
    src = _spec_src(spec.id)
    link = Linker(src, directory_urls, home)
    plan = policies.quality_plan(spec.taxonomy)
    quality = []
    agreement = spec.quality.agreement_target
    if agreement is None and plan:
        agreement = plan.model.agreement.target
    if agreement is not None:
        metric = plan.model.agreement.metric.display_name if plan else "agreement"
        quality.append(f"{metric} of at least {agreement:g}")
    gold = spec.quality.gold_accuracy_target
    if gold is None and plan:
        gold = plan.model.gold_accuracy_target
    if gold is not None:
        quality.append(f"{_percent(gold)} correct on gold items")
    vendor = policies.vendor(spec.vendor) if spec.vendor else None
    workflow = policies.workflow(spec.workflow) if spec.workflow else None
    view = SpecView(
        link.to(INDEX, "Working with us"),
        spec,
        _prose(spec.purpose),
        link.taxonomy(spec.taxonomy, str(spec.version)),
        link.to(PRIVACY, spec.data_class),
        tuple(
            (
                f.name,
                f.type.value,
                f.description or "",
                f.data_class or "",
                "yes" if f.required else "no",
            )
            for f in spec.item_schema
        ),
        tuple(quality),
        link.to(_vendor_src(vendor.model.id), vendor.model.name)
        if vendor
        else (spec.vendor or "in-house"),
        link.to(_workflow_src(workflow.model.id), workflow.model.title)
        if workflow
        else (spec.workflow or "—"),
        tuple((s.role.value, s.name, str(s.date) if s.date else "pending") for s in spec.sign_off),
    )
    return Page(src, f"Dataset spec: {spec.title}", "spec.html.j2", view, nav_title=spec.title)


# --- privacy -------------------------------------------------------------------


@dataclass(frozen=True)
class ClassView:
    id: str
    description: str
    redacted: tuple[str, ...]
    retention: str
    roles: str
    vendors: str
    regions: str
    published: str


def privacy_page(policy: Privacy, directory_urls: bool) -> Page:
    classes = tuple(
        ClassView(
            c.id,
            c.description,
            tuple(
                f"{r.detect} → {r.mask_template.replace('{last}', '…')}" for r in c.redaction or ()
            ),
            "kept indefinitely"
            if c.retention_days == "indefinite"
            else f"{c.retention_days:,} days",
            ", ".join(c.access.roles) if c.access.roles is not None else "anyone",
            (", ".join(c.access.vendors) or "in-house only")
            if c.access.vendors is not None
            else "any vendor",
            ", ".join(c.access.regions) if c.access.regions is not None else "anywhere",
            "yes, redacted" if c.published and c.redaction else ("yes" if c.published else "never"),
        )
        for c in policy.classes
    )
    detectors = tuple((d.id, d.description or d.pattern) for d in policy.detectors)
    link = Linker(PRIVACY, directory_urls, lambda _: None)
    view = (link.to(INDEX, "Working with us"), classes, detectors, ", ".join(policy.phone_regions))
    return Page(PRIVACY, "Privacy rules", "privacy.html.j2", view)


# --- the section ---------------------------------------------------------------


@dataclass(frozen=True)
class IndexView:
    vendors: tuple[Link, ...]
    workflows: tuple[Link, ...]
    specs: tuple[Link, ...]
    privacy: Link | None


def policy_pages(
    policies: Policies, directory_urls: bool, home: Callable[[str], str | None]
) -> list[Page]:
    """The 'Working with us' section; empty when the repository has no policies."""
    pages: list[Page] = []
    vendors = [vendor_page(v.model.id, policies, directory_urls, home) for v in policies.vendors]
    workflows = [workflow_page(w.model, policies, directory_urls, home) for w in policies.workflows]
    specs = [spec_page(s.model, policies, directory_urls, home) for s in policies.specs]
    privacy = policies.privacy_policy
    privacy_pages = [privacy_page(privacy.model, directory_urls)] if privacy else []
    pages = [*vendors, *workflows, *specs, *privacy_pages]
    if not pages:
        return []
    link = Linker(INDEX, directory_urls, home)
    view = IndexView(
        tuple(link.to(p.src, p.view.name) for p in vendors),
        tuple(link.to(p.src, p.view.title) for p in workflows),
        tuple(link.to(p.src, p.view.spec.title) for p in specs),
        link.to(PRIVACY, "Privacy rules") if privacy_pages else None,
    )
    index = Page(
        INDEX, "Working with us", "working_with_us.html.j2", view, nav=True, nav_title="Overview"
    )
    return [index, *pages]
