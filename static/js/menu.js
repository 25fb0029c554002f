// The header's disclosure menus (templates/base.html): the user menu, and on phones the main
// links behind "Menu". Each [data-menu-button] opens and closes the element its aria-controls
// names; Escape or a click elsewhere closes it. Without this script both stay open in the page.
(function () {
  "use strict";
  var root = document.documentElement;
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-menu-button]"));
  if (!buttons.length) return;
  root.classList.add("js-menus");

  function panelOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }
  function isOpen(button) {
    return button.getAttribute("aria-expanded") === "true";
  }
  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var panel = panelOf(button);
    if (panel) panel.classList.toggle("is-open", open);
  }
  function closeAll(except) {
    buttons.forEach(function (button) {
      if (button !== except && isOpen(button)) setOpen(button, false);
    });
  }

  buttons.forEach(function (button) {
    button.hidden = false;
    setOpen(button, false);
    button.addEventListener("click", function () {
      closeAll(button);
      setOpen(button, !isOpen(button));
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    buttons.forEach(function (button) {
      if (!isOpen(button)) return;
      var panel = panelOf(button);
      var focusInside = panel && panel.contains(document.activeElement);
      setOpen(button, false);
      if (focusInside || document.activeElement === button) button.focus();
    });
  });

  document.addEventListener("click", function (event) {
    buttons.forEach(function (button) {
      var panel = panelOf(button);
      if (!isOpen(button) || button.contains(event.target)) return;
      if (panel && panel.contains(event.target)) return;
      setOpen(button, false);
    });
  });

  // Tabbing out of the user menu closes it, so it never hides what the keyboard reaches next.
  document.addEventListener("focusin", function (event) {
    buttons.forEach(function (button) {
      var panel = panelOf(button);
      if (!isOpen(button) || !panel || !panel.classList.contains("account__menu")) return;
      if (button.contains(event.target) || panel.contains(event.target)) return;
      setOpen(button, false);
    });
  });
})();
