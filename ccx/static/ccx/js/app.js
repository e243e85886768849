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
  button.textContent = button.dataset.acceptedLabel || "✓";
  button.disabled = true;
  form.dispatchEvent(new Event("input", { bubbles: true }));
});
