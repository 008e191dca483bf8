/* Kith connection map: pan and zoom, highlighting of a node's neighbours,
   and filters by type, area and tag. The map itself is SVG drawn when the
   site is built and works without this script; everything here is an
   addition. No libraries. */
(function () {
  "use strict";

  // On a narrow screen a picture wider than its frame scrolls sideways:
  // start from its middle, where a profile's own asset is.
  Array.prototype.forEach.call(document.querySelectorAll(".map-viewport"), function (frame) {
    if (frame.scrollWidth > frame.clientWidth) frame.scrollLeft = (frame.scrollWidth - frame.clientWidth) / 2;
  });

  var root = document.querySelector("[data-map]");
  if (!root) return;
  var viewport = root.querySelector("[data-map-viewport]");
  var svg = viewport && viewport.querySelector("svg.kith-map");
  if (!svg || !svg.getAttribute("viewBox")) return;

  var tools = root.querySelector("[data-map-tools]");
  var status = root.querySelector("[data-map-status]");
  var hint = root.querySelector("[data-map-hint]");
  var nodes = Array.prototype.slice.call(svg.querySelectorAll(".map-node"));
  var lines = Array.prototype.slice.call(svg.querySelectorAll("line[data-from]"));

  // ---- Who is linked to whom, from the lines of the picture ----

  var nodeById = {};
  var linesById = {};
  nodes.forEach(function (node) {
    var id = node.getAttribute("data-id");
    nodeById[id] = node;
    linesById[id] = [];
  });
  lines.forEach(function (line) {
    var from = line.getAttribute("data-from");
    var to = line.getAttribute("data-to");
    if (linesById[from]) linesById[from].push(line);
    if (linesById[to]) linesById[to].push(line);
  });

  // ---- Pan and zoom, by changing the viewBox ----

  var home = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
  var view = home.slice();
  var minWidth = Math.min(home[2], 120);
  var maxWidth = home[2] * 1.5;

  function apply() {
    svg.setAttribute("viewBox", view.map(function (n) { return Math.round(n * 10) / 10; }).join(" "));
  }

  // Zooms by `factor` (below 1 zooms in) around a point in map units.
  function zoom(factor, cx, cy) {
    var width = Math.max(minWidth, Math.min(maxWidth, view[2] * factor));
    var scale = width / view[2];
    if (cx === undefined) {
      cx = view[0] + view[2] / 2;
      cy = view[1] + view[3] / 2;
    }
    view = [cx - (cx - view[0]) * scale, cy - (cy - view[1]) * scale, width, view[3] * scale];
    apply();
  }

  function pan(dx, dy) {
    view[0] += dx;
    view[1] += dy;
    apply();
  }

  function reset() {
    view = home.slice();
    apply();
  }

  // The map point under a position on the screen.
  function toMap(clientX, clientY) {
    var box = svg.getBoundingClientRect();
    var scale = Math.max(view[2] / box.width, view[3] / box.height);
    var offsetX = (box.width * scale - view[2]) / 2;
    var offsetY = (box.height * scale - view[3]) / 2;
    return {
      x: view[0] - offsetX + (clientX - box.left) * scale,
      y: view[1] - offsetY + (clientY - box.top) * scale,
      scale: scale
    };
  }

  viewport.setAttribute("data-map-active", "");
  viewport.setAttribute("tabindex", "0");
  viewport.setAttribute("role", "group");
  viewport.setAttribute("aria-label", "Connection map. Arrow keys move the map, plus and minus zoom, 0 fits it again; Tab moves from asset to asset.");
  if (hint) hint.hidden = false;

  // The mouse wheel zooms only with Ctrl (or ⌘) held, so the page still scrolls.
  viewport.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    var point = toMap(event.clientX, event.clientY);
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, point.x, point.y);
  }, { passive: false });

  // Dragging with a mouse or pen moves the map; on a touch screen one finger
  // scrolls the page and two fingers move and zoom the map.
  var pointers = {};
  var drag = null;
  var moved = false;

  function pointerList() {
    return Object.keys(pointers).map(function (key) { return pointers[key]; });
  }

  viewport.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY, type: event.pointerType };
    var list = pointerList();
    moved = false;
    if (event.pointerType !== "touch" || list.length === 2) {
      drag = { list: list.map(function (p) { return { x: p.x, y: p.y }; }), view: view.slice() };
    }
  });

  viewport.addEventListener("pointermove", function (event) {
    if (!pointers[event.pointerId]) return;
    pointers[event.pointerId].x = event.clientX;
    pointers[event.pointerId].y = event.clientY;
    if (!drag) return;
    var list = pointerList();
    var scale = toMap(0, 0).scale;
    if (list.length === 1 && drag.list.length === 1) {
      var dx = list[0].x - drag.list[0].x;
      var dy = list[0].y - drag.list[0].y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!moved) {
        moved = true;
        viewport.classList.add("is-dragging");
        try { viewport.setPointerCapture(event.pointerId); } catch (e) { /* not capturable */ }
      }
      view[0] = drag.view[0] - dx * scale;
      view[1] = drag.view[1] - dy * scale;
      apply();
    } else if (list.length === 2 && drag.list.length === 2) {
      event.preventDefault();
      moved = true;
      var before = Math.hypot(drag.list[0].x - drag.list[1].x, drag.list[0].y - drag.list[1].y);
      var after = Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y);
      if (before > 0 && after > 0) {
        var middle = toMap((list[0].x + list[1].x) / 2, (list[0].y + list[1].y) / 2);
        zoom(before / after, middle.x, middle.y);
        drag.list = list.map(function (p) { return { x: p.x, y: p.y }; });
      }
    }
  });

  function release(event) {
    delete pointers[event.pointerId];
    if (pointerList().length === 0) {
      drag = null;
      viewport.classList.remove("is-dragging");
    }
  }
  viewport.addEventListener("pointerup", release);
  viewport.addEventListener("pointercancel", release);

  // A drag that ends over a node must not follow its link.
  viewport.addEventListener("click", function (event) {
    if (moved) {
      event.preventDefault();
      moved = false;
    }
  }, true);

  viewport.addEventListener("keydown", function (event) {
    if (event.target !== viewport) return;
    var step = view[2] / 10;
    var handled = true;
    switch (event.key) {
      case "ArrowLeft": pan(-step, 0); break;
      case "ArrowRight": pan(step, 0); break;
      case "ArrowUp": pan(0, -step); break;
      case "ArrowDown": pan(0, step); break;
      case "+": case "=": zoom(1 / 1.3); break;
      case "-": case "_": zoom(1.3); break;
      case "0": reset(); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  if (tools) {
    tools.hidden = false;
    tools.addEventListener("submit", function (event) { event.preventDefault(); });
    Array.prototype.forEach.call(tools.querySelectorAll("[data-zoom]"), function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-zoom");
        if (action === "in") zoom(1 / 1.3);
        else if (action === "out") zoom(1.3);
        else reset();
      });
    });
  }

  // ---- Highlighting a node and its neighbours ----

  function light(node) {
    var id = node.getAttribute("data-id");
    svg.classList.add("is-highlighting");
    node.classList.add("is-lit");
    (linesById[id] || []).forEach(function (line) {
      line.classList.add("is-lit");
      var other = line.getAttribute("data-from") === id ? line.getAttribute("data-to") : line.getAttribute("data-from");
      if (nodeById[other]) nodeById[other].classList.add("is-lit");
    });
  }

  function unlight() {
    svg.classList.remove("is-highlighting");
    Array.prototype.forEach.call(svg.querySelectorAll(".is-lit"), function (element) {
      element.classList.remove("is-lit");
    });
  }

  // Keeps a focused node in view: Tab may reach one outside the visible part.
  function reveal(node) {
    var circle = node.querySelector("circle");
    if (!circle) return;
    var x = Number(circle.getAttribute("cx"));
    var y = Number(circle.getAttribute("cy"));
    var marginX = view[2] * 0.1, marginY = view[3] * 0.1;
    if (x < view[0] + marginX || x > view[0] + view[2] - marginX || y < view[1] + marginY || y > view[1] + view[3] - marginY) {
      view[0] = x - view[2] / 2;
      view[1] = y - view[3] / 2;
      apply();
    }
  }

  svg.addEventListener("pointerover", function (event) {
    if (drag && moved) return;
    var node = event.target.closest && event.target.closest(".map-node");
    unlight();
    if (node) light(node);
  });
  svg.addEventListener("pointerleave", unlight);
  svg.addEventListener("focusin", function (event) {
    var node = event.target.closest && event.target.closest(".map-node");
    unlight();
    if (node) {
      light(node);
      reveal(node);
    }
  });
  svg.addEventListener("focusout", unlight);

  // ---- Filters ----

  function words(node, name) {
    var value = node.getAttribute(name);
    return value ? value.split(" ") : [];
  }

  function filter() {
    if (!tools) return;
    var form = {};
    Array.prototype.forEach.call(tools.querySelectorAll("select"), function (select) {
      form[select.name] = select.value;
    });
    var shown = 0;
    var visible = {};
    nodes.forEach(function (node) {
      var keep = (!form.type || node.getAttribute("data-type") === form.type) &&
        (!form.area || words(node, "data-areas").indexOf(form.area) >= 0) &&
        (!form.tag || words(node, "data-tags").indexOf(form.tag) >= 0);
      node.classList.toggle("is-filtered", !keep);
      if (keep) {
        shown += 1;
        visible[node.getAttribute("data-id")] = true;
      }
    });
    lines.forEach(function (line) {
      var keep = visible[line.getAttribute("data-from")] && visible[line.getAttribute("data-to")];
      line.classList.toggle("is-filtered", !keep);
    });
    var filtering = form.type || form.area || form.tag;
    if (status) {
      status.textContent = filtering
        ? "Showing " + shown + " of " + nodes.length + (nodes.length === 1 ? " asset." : " assets.")
        : "";
    }
  }

  if (tools) {
    Array.prototype.forEach.call(tools.querySelectorAll("select"), function (select) {
      select.addEventListener("change", filter);
    });
    filter();
  }
})();
