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
