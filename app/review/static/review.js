// Kontor review pages: field <-> box highlighting and the keyboard. Plain script, no build step.
"use strict";

(function () {
  function typing(event) {
    const tag = event.target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable;
  }

  function plainKey(event) {
    return !event.ctrlKey && !event.metaKey && !event.altKey;
  }

  // The document page: fields on the right, boxes over the page images on the left.
  function setUpDocument(review) {
    const fields = Array.from(review.querySelectorAll(".field"));
    const boxes = Array.from(review.querySelectorAll(".box"));
    let current = -1;

    for (const field of fields) {
      if (field.classList.contains("flagged")) {
        for (const box of boxes) {
          if (box.dataset.field === field.dataset.field) box.classList.add("flagged");
        }
      }
    }

    function select(index, scrollPage) {
      if (index < 0 || index >= fields.length) return;
      current = index;
      const name = fields[index].dataset.field;
      for (const field of fields) field.classList.toggle("selected", field === fields[index]);
      for (const box of boxes) box.classList.toggle("selected", box.dataset.field === name);
      fields[index].scrollIntoView({ block: "nearest" });
      const box = boxes.find((b) => b.dataset.field === name);
      if (box && scrollPage) box.scrollIntoView({ block: "center", inline: "nearest" });
    }

    function selectByName(name, scrollPage) {
      select(fields.findIndex((f) => f.dataset.field === name), scrollPage);
    }

    function edit(index) {
      const form = fields[index] && fields[index].querySelector("form.edit");
      if (!form) return;
      form.hidden = false;
      const input = form.querySelector('input[name="value"]');
      input.focus();
      input.select();
    }

    function cancel(form) {
      form.hidden = true;
      form.reset();
      fields[current].focus();
    }

    for (const [index, field] of fields.entries()) {
      field.addEventListener("click", (event) => {
        if (event.target.closest("form")) return;
        select(index, true);
      });
      const form = field.querySelector("form.edit");
      if (form) {
        form.addEventListener("keydown", (event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            cancel(form);
          }
        });
      }
    }
    for (const box of boxes) {
      box.addEventListener("click", () => selectByName(box.dataset.field, false));
    }
    for (const link of review.querySelectorAll(".field-link")) {
      link.addEventListener("click", () => selectByName(link.dataset.field, true));
    }

    document.addEventListener("keydown", (event) => {
      if (typing(event) || !plainKey(event)) return;
      if (event.key === "Enter" && event.target.closest("button, a")) return;
      const actions = {
        j: () => select(Math.min(current + 1, fields.length - 1), true),
        k: () => select(Math.max(current - 1, 0), true),
        Enter: () => edit(current),
        a: () => submit("approve-form"),
        r: () => focus("reject-reason"),
        n: () => follow("next-link"),
        "+": () => focus("new-line-text"),
        b: () => focusFirst("#booking input[name=account]"),
        o: () => focus("approve-force"),
      };
      const action = actions[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    });

    const editing = review.dataset.editing;
    if (editing) {
      selectByName(editing, true);
      edit(current);
    } else if (review.dataset.selected) {
      selectByName(review.dataset.selected, true);
    } else if (review.dataset.firstFlagged) {
      // Straight to what is wrong.
      selectByName(review.dataset.firstFlagged, true);
    } else {
      select(0, false);
    }
  }

  function submit(id) {
    const form = document.getElementById(id);
    if (form) form.requestSubmit();
  }

  function focus(id) {
    const element = document.getElementById(id);
    if (element) element.focus();
  }

  function focusFirst(selector) {
    const element = document.querySelector(selector);
    if (element) element.focus();
  }

  function follow(id) {
    const link = document.getElementById(id);
    if (link) window.location.assign(link.href);
  }

  // The queue: rows open their document; j/k move, Enter opens.
  function setUpQueue(table) {
    const rows = Array.from(table.querySelectorAll("tbody tr"));
    let current = -1;
    function select(index) {
      if (index < 0 || index >= rows.length) return;
      current = index;
      for (const row of rows) row.classList.toggle("selected", row === rows[index]);
      rows[index].scrollIntoView({ block: "nearest" });
    }
    for (const row of rows) {
      row.addEventListener("click", (event) => {
        if (!event.target.closest("a")) window.location.assign(row.dataset.href);
      });
    }
    document.addEventListener("keydown", (event) => {
      if (typing(event) || !plainKey(event)) return;
      if (event.key === "j") select(Math.min(current + 1, rows.length - 1));
      else if (event.key === "k") select(Math.max(current - 1, 0));
      else if (event.key === "Enter" && current >= 0) window.location.assign(rows[current].dataset.href);
      else if (event.key === "n" && rows.length) window.location.assign(rows[0].dataset.href);
      else return;
      event.preventDefault();
    });
  }

  // Every page: `?` lists the keys, `d` all documents, `q` the queue, `/` the search box.
  function setUpKeys(help) {
    document.addEventListener("keydown", (event) => {
      if (typing(event) || !plainKey(event)) return;
      const actions = {
        "?": () => (help.open ? help.close() : help.showModal()),
        d: () => window.location.assign("/review/documents"),
        q: () => window.location.assign("/review"),
        "/": () => focus("search-text"),
      };
      const action = actions[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const help = document.getElementById("keys-help");
    if (help) setUpKeys(help);
    const review = document.getElementById("review");
    if (review) setUpDocument(review);
    const table = document.querySelector(".queue-table");
    if (table) setUpQueue(table);
  });
})();

// The upload page: drop or pick several files; each is sent on its own, with progress and its own result.
(function () {
  "use strict";

  function row(list, name) {
    const item = document.createElement("li");
    item.className = "upload-item";
    const label = document.createElement("span");
    label.className = "upload-name";
    label.textContent = name;
    const progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    const result = document.createElement("span");
    result.className = "upload-result";
    item.append(label, progress, result);
    list.append(item);
    return { item, progress, result };
  }

  function send(form, file, list) {
    const shown = row(list, file.name);
    const data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    data.append("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) shown.progress.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", () => {
      shown.progress.value = 100;
      let body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (error) {
        body = { error: "The server answered " + request.status + "." };
      }
      if (request.status === 201 || request.status === 200) {
        shown.item.classList.add(body.created ? "ok" : "duplicate");
        const link = document.createElement("a");
        link.href = "/review/documents/" + body.id;
        link.textContent = (body.created ? "stored as #" : "duplicate of #") + body.id;
        shown.result.append(link);
      } else {
        shown.item.classList.add("failed");
        shown.result.textContent = body.error || "Upload failed (" + request.status + ").";
      }
    });
    request.addEventListener("error", () => {
      shown.item.classList.add("failed");
      shown.result.textContent = "The connection failed.";
    });
    request.send(data);
  }

  function setUp(form) {
    const zone = document.getElementById("dropzone");
    const input = document.getElementById("file-input");
    const list = document.getElementById("upload-results");
    const sendAll = (files) => Array.from(files).forEach((file) => send(form, file, list));
    form.addEventListener("submit", (event) => event.preventDefault());
    input.addEventListener("change", () => {
      sendAll(input.files);
      input.value = "";
    });
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      sendAll(event.dataTransfer.files);
    });
    zone.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        input.click();
      }
    });
    document.addEventListener("keydown", (event) => {
      const tag = event.target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
      if (event.key === "u" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.click();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("upload-form");
    if (form) setUp(form);
  });
})();
