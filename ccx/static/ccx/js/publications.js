// Publications and exhibitions: ordering lists (drag and drop, or move buttons) and the image viewer.
// Everything works without this file: the position numbers are plain inputs and images are plain links.
(function () {
  "use strict";

  // Ordering: each [data-sortable] list has [data-sortable-item] rows with a number input [data-position].
  // Dragging a row or pressing its arrow buttons moves it and renumbers every row; "Save the order" submits.
  function renumber(list) {
    list.querySelectorAll("[data-sortable-item]").forEach((item, index) => {
      const input = item.querySelector("[data-position]");
      if (input) input.value = String(index + 1);
    });
  }

  function announce(list, text) {
    let status = list.parentElement.querySelector("[data-sortable-status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.dataset.sortableStatus = "";
      list.after(status);
    }
    status.textContent = text;
  }

  function itemName(item) {
    const title = item.querySelector(".sortable-title, a");
    return title ? title.textContent.trim() : "";
  }

  function move(item, direction) {
    const list = item.parentElement;
    const sibling = direction < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    if (direction < 0) list.insertBefore(item, sibling);
    else list.insertBefore(sibling, item);
    renumber(list);
    const position = item.querySelector("[data-position]");
    announce(list, `${itemName(item)}: ${position ? position.value : ""}`);
  }

  function addMoveButtons(list) {
    const upLabel = list.dataset.labelUp || "Move up";
    const downLabel = list.dataset.labelDown || "Move down";
    list.querySelectorAll("[data-sortable-item]").forEach((item) => {
      const group = document.createElement("span");
      group.className = "sortable-buttons";
      [["↑", upLabel, -1], ["↓", downLabel, 1]].forEach(([symbol, label, direction]) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button small secondary";
        button.textContent = symbol;
        button.setAttribute("aria-label", `${label}: ${itemName(item)}`);
        button.addEventListener("click", () => {
          move(item, direction);
          button.focus();
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    });
  }

  function makeSortable(list) {
    let dragged = null;
    list.addEventListener("dragstart", (event) => {
      dragged = event.target.closest("[data-sortable-item]");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", itemName(dragged));
    });
    list.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      const over = event.target.closest("[data-sortable-item]");
      if (!over || over === dragged) return;
      const box = over.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextElementSibling : over);
    });
    list.addEventListener("drop", (event) => {
      event.preventDefault();
    });
    list.addEventListener("dragend", () => {
      if (!dragged) return;
      dragged.classList.remove("dragging");
      renumber(list);
      announce(list, itemName(dragged));
      dragged = null;
    });
    addMoveButtons(list);
  }

  // Image viewer: [data-viewer] lists of links open a modal <dialog> with previous/next/close buttons,
  // arrow keys and Escape; focus returns to the link that opened it.
  function makeViewer(gallery) {
    const dialog = gallery.parentElement.querySelector("[data-viewer-dialog]");
    if (!dialog || typeof dialog.showModal !== "function") return;
    const items = Array.from(gallery.querySelectorAll("[data-viewer-item]"));
    const image = dialog.querySelector("[data-viewer-image]");
    const caption = dialog.querySelector("[data-viewer-caption-text]");
    const count = dialog.querySelector("[data-viewer-count]");
    let current = 0;
    let opener = null;

    function show(index) {
      current = (index + items.length) % items.length;
      const item = items[current];
      image.src = item.dataset.viewerSrc;
      image.alt = item.dataset.viewerAlt || "";
      caption.textContent = item.dataset.viewerCaption || item.dataset.viewerAlt || "";
      count.textContent = `${current + 1} / ${items.length}`;
    }

    items.forEach((item, index) => {
      item.addEventListener("click", (event) => {
        event.preventDefault();
        opener = item;
        show(index);
        dialog.showModal();
        const next = dialog.querySelector("[data-viewer-next]");
        (next.hidden ? dialog.querySelector("[data-viewer-close]") : next).focus();
      });
    });
    dialog.querySelector("[data-viewer-previous]").addEventListener("click", () => show(current - 1));
    dialog.querySelector("[data-viewer-next]").addEventListener("click", () => show(current + 1));
    dialog.querySelector("[data-viewer-close]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
      if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
    });
    dialog.addEventListener("close", () => { if (opener) opener.focus(); });
    const single = items.length < 2;
    dialog.querySelector("[data-viewer-previous]").hidden = single;
    dialog.querySelector("[data-viewer-next]").hidden = single;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-sortable]").forEach(makeSortable);
    document.querySelectorAll("[data-viewer]").forEach(makeViewer);
  });
})();
