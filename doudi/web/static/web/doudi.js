/* doudi: small enhancements only; every page works without this file.
   On a phone, table.list rows are stacked (doudi.css) and each cell shows its column's name:
   cells the server did not label get the text of their column's header here. */
(function () {
  "use strict";
  function labelCells(root) {
    (root || document).querySelectorAll("table.list").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!heads.length) { return; }
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var col = 0;
        Array.prototype.forEach.call(tr.children, function (cell) {
          if (!cell.hasAttribute("data-label") && heads[col] && cell.colSpan === 1) {
            cell.setAttribute("data-label", heads[col]);
          }
          col += cell.colSpan || 1;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  document.addEventListener("htmx:afterSettle", function (e) { labelCells(e.target); });
})();
