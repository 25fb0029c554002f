/* A type-ahead box in the ARIA combobox pattern (role=combobox, aria-expanded, aria-controls,
   a listbox of options, aria-activedescendant), shared by the header's search (search.js) and
   the forms' pickers (picker.js). The server gives the suggestions (licensing:search-suggest). */
(function () {
  "use strict";

  var DELAY_MS = 150;

  function suggest(url, kind, text) {
    var query = new URLSearchParams({ q: text });
    if (kind) query.set("kind", kind);
    return fetch(url + "?" + query.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : []; })
      .catch(function () { return []; });
  }

  /* options: source(text) -> Promise of [{label, detail, ...}]; choose(item);
     listbox (an existing <ul>, else one is made after the input); escape() when Escape is
     pressed with the list already closed; typed() after each keystroke that changes the text;
     showKind to name each suggestion's kind (the search, where kinds are mixed). */
  function combobox(input, options) {
    var listbox = options.listbox;
    if (!listbox) {
      listbox = document.createElement("ul");
      listbox.className = "combobox__list";
      listbox.hidden = true;
      input.insertAdjacentElement("afterend", listbox);
    }
    if (!listbox.id) listbox.id = input.id + "-list";
    listbox.setAttribute("role", "listbox");
    if (!listbox.hasAttribute("aria-label")) listbox.setAttribute("aria-label", "Suggestions");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!items.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      var options_ = listbox.children;
      for (var i = 0; i < options_.length; i++) {
        options_[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options_[index]) {
        input.setAttribute("aria-activedescendant", options_[index].id);
        options_[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      close();
      if (item) options.choose(item);
    }

    function show(list) {
      items = list;
      listbox.replaceChildren();
      list.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + index;
        option.className = "combobox__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "combobox__label";
        label.textContent = item.label;
        option.appendChild(label);
        if (options.showKind && item.kind_name) {
          var kind = document.createElement("span");
          kind.className = "combobox__kind";
          kind.textContent = item.kind_name;
          option.insertBefore(kind, label);
        }
        if (item.detail) {
          var detail = document.createElement("span");
          detail.className = "combobox__detail";
          detail.textContent = item.detail;
          option.appendChild(detail);
        }
        // mousedown, not click: the input keeps its focus, so blur does not close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        listbox.appendChild(option);
      });
      active = -1;
      if (list.length && document.activeElement === input) open();
      else close();
    }

    function update() {
      var text = input.value.trim();
      var mine = ++asked;
      if (!text) {
        show([]);
        return;
      }
      options.source(text).then(function (list) {
        if (mine === asked) show(Array.isArray(list) ? list : []);
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, DELAY_MS);
      if (options.typed) options.typed();
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        open();
        if (items.length) highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (items.length) highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else if (options.escape) {
          options.escape();
        }
      }
    });

    input.addEventListener("blur", close);
    return { close: close };
  }

  window.RareGateCombobox = { combobox: combobox, suggest: suggest };
})();
