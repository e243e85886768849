// Progressive enhancement for every page. No inline scripts: everything is wired by data attributes.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-autosubmit submit themselves when a control changes (htmx handles the request).
  document.body.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-autosubmit]");
    if (form && event.target.name !== "q") {
      form.requestSubmit();
    }
  });
});

// After htmx swaps a region, move focus to its heading so screen-reader users know the results changed.
// (Controls keep their focus when they have an id: htmx restores it.)
document.addEventListener("htmx:afterSettle", () => {
  const heading = document.querySelector("[data-focus-after-swap]");
  const active = document.activeElement;
  if (heading && (!active || active === document.body)) {
    heading.focus();
  }
});

// Accepting a suggested SDG ticks the goal and selects its suggested targets in the form.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-accept-goal]");
  if (!button) return;
  const form = button.closest("form");
  const goal = form.querySelector(`input[name="sdg_goals"][value="${button.dataset.acceptGoal}"]`);
  if (goal) goal.checked = true;
  const targets = form.querySelector('select[name="sdg_targets"]');
  (button.dataset.acceptTargets || "").split(",").filter(Boolean).forEach((id) => {
    const option = targets && targets.querySelector(`option[value="${id}"]`);
    if (option) option.selected = true;
  });
  if (targets) targets.dispatchEvent(new Event("change", { bubbles: true }));  // redraws a searchable select
  button.textContent = button.dataset.acceptedLabel || "✓";
  button.disabled = true;
  form.dispatchEvent(new Event("input", { bubbles: true }));
});

// == first impressions (issue 16) ==
const PHONE = window.matchMedia("(max-width: 52rem)");

// The phone menu: one button opens and closes the header's links (they stay visible without JavaScript).
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-nav-toggle]");
  if (!toggle) return;
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  menu.classList.toggle("open", open);
});
document.addEventListener("keydown", (event) => {
  const toggle = document.querySelector('[data-nav-toggle][aria-expanded="true"]');
  if (event.key === "Escape" && toggle) {
    toggle.click();
    toggle.focus();
  }
});

// Filter panels fold on phones unless a filter is in use, so results are not a screen further down.
// The visitor's own choice is kept when htmx redraws the results with a new panel.
let filtersOpen = null;
function foldFilters(root) {
  root.querySelectorAll("details[data-phone-folded]").forEach((panel) => {
    if (!PHONE.matches) return;
    panel.open = filtersOpen === null ? panel.dataset.phoneFolded === "open" : filtersOpen;
  });
}
document.addEventListener("toggle", (event) => {
  if (event.target.matches && event.target.matches("details[data-phone-folded]") && PHONE.matches) {
    filtersOpen = event.target.open;
  }
}, true);
document.addEventListener("DOMContentLoaded", () => foldFilters(document));
document.addEventListener("htmx:afterSwap", (event) => foldFilters(event.detail.target.parentNode || document));

// A form sent back with errors: bring the first problem into view and put the cursor there, so nobody has to
// hunt for a message far below the top of the page.
function focusFirstProblem(root) {
  const problem = root.querySelector("[aria-invalid='true'], .has-error input, .has-error textarea, .has-error select, .errorlist, [data-form-error]");
  if (!problem) return;
  const field = problem.matches("input, textarea, select")
    ? problem
    : (problem.closest(".field, fieldset, form") || problem).querySelector("input:not([type=hidden]), textarea, select");
  const target = field || problem;
  target.scrollIntoView({ block: "center" });
  if (field) {
    field.focus({ preventScroll: true });
  } else {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
}
document.addEventListener("DOMContentLoaded", () => focusFirstProblem(document));
document.addEventListener("htmx:afterSettle", (event) => focusFirstProblem(event.detail.target));
