/* Type-ahead pickers: a <select data-picker="KIND"> or <input data-picker="KIND"> of a form or
   filter becomes a box that suggests things of that kind as you type (licensing:search-suggest).
   Without script the plain <select> or text box works as it is: a <select> stays in the page,
   hidden, and still carries the choice; a text box receives the chosen thing's reference. */
(function () {
  "use strict";

  var api = window.RareGateCombobox;
  if (!api) return;

  function wrap(element) {
    var box = document.createElement("span");
    box.className = "picker";
    element.insertAdjacentElement("beforebegin", box);
    return box;
  }

  function chosenText(select) {
    var option = select.options[select.selectedIndex];
    return option && option.value ? option.text : "";
  }

  function pickSelect(select, kind, url) {
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-picker";
    input.className = "picker__input";
    input.value = chosenText(select);
    var empty = select.querySelector("option[value='']");
    input.placeholder = empty ? empty.text : "Type to search";
    if (select.required) input.required = true;
    var described = select.getAttribute("aria-describedby");
    if (described) input.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) label.htmlFor = input.id;

    var box = wrap(select);
    box.appendChild(input);
    box.appendChild(select);
    select.hidden = true;
    select.tabIndex = -1;

    api.combobox(input, {
      source: function (text) { return api.suggest(url, kind, text); },
      choose: function (item) {
        var option = optionFor(select, item);
        select.value = option.value;
        input.value = option.text;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      },
      typed: function () { if (!input.value.trim()) select.value = ""; },
    });
    // Text typed but not chosen is not a choice: show what the form will send.
    input.addEventListener("change", function () { input.value = chosenText(select); });
  }

  function optionFor(select, item) {
    var value = String(item.id);
    var option = Array.prototype.find.call(select.options, function (o) {
      return o.value === value;
    });
    if (!option) {
      option = new Option(item.label, value);
      select.add(option);
    }
    return option;
  }

  /* A list that takes several: the list stays as it is, with a box above it that finds one and
     selects it too. */
  function pickSeveral(select, kind, url) {
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-picker";
    input.className = "picker__input";
    input.placeholder = "Type to find and add";
    var label = document.querySelector("label[for='" + select.id + "']");
    input.setAttribute("aria-label", "Find and add: " + (label ? label.textContent.trim() : kind));
    var box = wrap(select);
    box.appendChild(input);
    box.appendChild(select);
    api.combobox(input, {
      source: function (text) { return api.suggest(url, kind, text); },
      choose: function (item) {
        var option = optionFor(select, item);
        option.selected = true;
        option.scrollIntoView({ block: "nearest" });
        input.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      },
    });
  }

  function pickText(input, kind, url) {
    var box = wrap(input);
    box.appendChild(input);
    api.combobox(input, {
      source: function (text) { return api.suggest(url, kind, text); },
      choose: function (item) { input.value = item.value; },
    });
  }

  document.querySelectorAll("select[data-picker], input[data-picker]").forEach(function (el) {
    var kind = el.getAttribute("data-picker");
    var url = el.getAttribute("data-picker-url");
    if (!url || !el.id) return;
    if (el.tagName === "SELECT" && el.multiple) pickSeveral(el, kind, url);
    else if (el.tagName === "SELECT") pickSelect(el, kind, url);
    else pickText(el, kind, url);
  });
})();
