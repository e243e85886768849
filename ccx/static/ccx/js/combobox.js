// A searchable multi-select over a real <select multiple data-combobox>: the select stays in the form (and is
// what is sent); without JavaScript it is an ordinary list. The pattern follows the WAI-ARIA combobox with a
// listbox popup: type to filter, arrows to move, Enter to pick or drop, Escape to close, Backspace on an empty
// box drops the last choice. Choices show as buttons that remove them. No inline styles (strict CSP).
(() => {
  const SHOWN = 60;
  let counter = 0;

  function enhance(select) {
    if (select.dataset.comboboxReady) return;
    select.dataset.comboboxReady = "1";
    const id = select.id || `combobox-${++counter}`;
    select.id = id;
    const label = document.querySelector(`label[for="${id}"]`);
    const labelText = label ? label.textContent.trim() : select.name;
    const texts = select.dataset;

    const box = document.createElement("div");
    box.className = "combobox";
    const chips = document.createElement("ul");
    chips.className = "combobox-chips";
    chips.setAttribute("aria-label", texts.chosenLabel || "Chosen");
    const input = document.createElement("input");
    input.type = "text";
    input.id = `${id}-search`;
    input.className = "combobox-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", `${id}-listbox`);
    input.placeholder = texts.placeholder || "Type to search";
    const list = document.createElement("ul");
    list.id = `${id}-listbox`;
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    list.setAttribute("aria-label", labelText);
    list.hidden = true;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.append(chips, input, list, status);
    select.after(box);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    if (label) label.htmlFor = input.id;

    const options = [...select.options].filter((option) => option.value);
    let active = -1;
    let shown = [];

    function say(message) {
      status.textContent = message;
    }

    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
      select.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function drawChips() {
      chips.replaceChildren(...options.filter((option) => option.selected).map((option) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "combobox-chip";
        button.textContent = option.textContent;
        button.setAttribute("aria-label", `${texts.removeLabel || "Remove"} ${option.textContent}`);
        button.addEventListener("click", () => {
          option.selected = false;
          drawChips();
          drawList();
          say(`${option.textContent}: ${texts.removedLabel || "removed"}`);
          changed();
          input.focus();
        });
        item.append(button);
        return item;
      }));
    }

    function drawList() {
      const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      const matching = options.filter((option) => {
        const text = option.textContent.toLowerCase();
        return words.every((word) => text.includes(word));
      });
      shown = matching.slice(0, SHOWN);
      list.replaceChildren(...shown.map((option, index) => {
        const item = document.createElement("li");
        item.id = `${id}-option-${index}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", String(option.selected));
        item.className = index === active ? "active" : "";
        item.textContent = option.textContent;
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();  // keep the focus in the search box
          toggle(index);
        });
        return item;
      }));
      if (matching.length > SHOWN) {
        const more = document.createElement("li");
        more.className = "combobox-more";
        more.setAttribute("role", "presentation");
        more.textContent = (texts.moreLabel || "%s more: type to narrow").replace("%s", matching.length - SHOWN);
        list.append(more);
      }
      if (!matching.length) {
        const none = document.createElement("li");
        none.className = "combobox-more";
        none.setAttribute("role", "presentation");
        none.textContent = texts.noneLabel || "No match";
        list.append(none);
      }
      if (active >= 0 && shown[active]) {
        input.setAttribute("aria-activedescendant", `${id}-option-${active}`);
        list.children[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!list.hidden) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      drawList();
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function toggle(index) {
      const option = shown[index];
      if (!option) return;
      option.selected = !option.selected;
      active = index;
      drawChips();
      drawList();
      say(`${option.textContent}: ${option.selected ? texts.addedLabel || "added" : texts.removedLabel || "removed"}`);
      changed();
    }

    input.addEventListener("input", () => {
      open();
      active = 0;
      drawList();
    });
    input.addEventListener("focus", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        open();
        active = Math.min(active + 1, shown.length - 1);
        drawList();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        active = Math.max(active - 1, 0);
        drawList();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();  // pick, do not send the form
        toggle(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && !input.value) {
        const chosen = options.filter((option) => option.selected);
        const last = chosen[chosen.length - 1];
        if (last) {
          last.selected = false;
          drawChips();
          drawList();
          say(`${last.textContent}: ${texts.removedLabel || "removed"}`);
          changed();
        }
      }
    });
    // Something else changed the select (an accepted SDG suggestion): show it.
    select.addEventListener("change", drawChips);
    drawChips();
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[multiple][data-combobox]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  document.addEventListener("htmx:afterSettle", (event) => enhanceAll(event.detail.target));
})();
