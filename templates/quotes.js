/* Working with quotes: search, filters, stars and hidden quotes kept in localStorage, CSV
   export of the visible quotes, and keyboard navigation. Text is only ever set with
   textContent: quote text never becomes markup. */
(() => {
  "use strict";
  const dataNode = document.getElementById("quote-data");
  const form = document.getElementById("quote-filters");
  if (!dataNode || !form) return;
  const data = JSON.parse(dataNode.textContent);
  const quotes = new Map(data.quotes.map((q) => [q.id, { ...q, search: q.search.toLowerCase() }]));
  const cards = Array.from(document.querySelectorAll(".quote[data-quote]"));
  const groups = Array.from(document.querySelectorAll(".quote-area .group"));
  const areas = Array.from(document.querySelectorAll(".quote-area"));
  const status = document.getElementById("quote-status");
  const shortcuts = document.getElementById("shortcuts");
  const tools = document.getElementById("quote-tools");
  const fold = document.getElementById("fold-tools");
  const sidebarCounts = Array.from(document.querySelectorAll('.sidebar a[href^="#"]'))
    .map((link) => ({ count: link.querySelector(".count"), target: document.getElementById(link.hash.slice(1)) }))
    .filter((entry) => entry.count && entry.target && entry.target.closest(".quote-area"));
  const field = (name) => form.elements.namedItem(name);

  const load = () => {
    try {
      const saved = JSON.parse(localStorage.getItem(data.storageKey) || "{}");
      return { starred: new Set(saved.starred || []), hidden: new Set(saved.hidden || []) };
    } catch (error) {
      return { starred: new Set(), hidden: new Set() };
    }
  };
  const marks = load();
  const save = () => {
    try {
      localStorage.setItem(data.storageKey, JSON.stringify({
        starred: Array.from(marks.starred), hidden: Array.from(marks.hidden),
      }));
    } catch (error) {
      status.textContent = "Stars and hidden quotes cannot be saved in this browser.";
    }
  };

  const matches = (quote) => {
    const hidden = marks.hidden.has(quote.key);
    if (hidden && !field("showHidden").checked) return false;
    if (field("starred").checked && !marks.starred.has(quote.key)) return false;
    const participant = field("participant").value;
    if (participant && quote.participant !== participant) return false;
    const sentiment = field("sentiment").value;
    if (sentiment === "@friction" ? !quote.friction : sentiment && quote.sentiment !== sentiment) return false;
    const section = field("section").value;
    if (section && !quote.sections.includes(section)) return false;
    const theme = field("theme").value;
    if (theme && !quote.themes.includes(theme)) return false;
    const terms = field("search").value.toLowerCase().split(/\s+/).filter(Boolean);
    return terms.every((term) => quote.search.includes(term));
  };

  const visibleIds = () => {
    const ids = new Set(cards.filter((card) => !card.hidden).map((card) => card.dataset.quote));
    return data.quotes.map((q) => q.id).filter((id) => ids.has(id));
  };

  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  /* Counts in the sidebar and under each heading follow the filters: what a reader can see. */
  const visibleIn = (element) => Array.from(element.querySelectorAll(".quote[data-quote]:not([hidden])"));
  const updateCounts = () => {
    for (const group of groups) {
      const label = group.querySelector(".group-count");
      if (!label) continue;
      const all = group.querySelectorAll(".quote[data-quote]").length;
      const shown = visibleIn(group);
      const friction = shown.filter((card) => quotes.get(card.dataset.quote).friction).length;
      const count = shown.length === all ? plural(all, "quote") : `${shown.length} of ${plural(all, "quote")}`;
      label.textContent = count + (friction ? ` · ${plural(friction, "friction point")}` : "");
    }
    for (const { count, target } of sidebarCounts) {
      const nested = target.matches(".quote-area") && target.querySelector(".group");
      count.textContent = nested
        ? String(Array.from(target.querySelectorAll(".group")).filter((group) => !group.hidden).length)
        : String(visibleIn(target).length);
    }
  };

  const apply = () => {
    const shown = new Map();
    for (const [id, quote] of quotes) shown.set(id, matches(quote));
    for (const card of cards) {
      const quote = quotes.get(card.dataset.quote);
      const starred = marks.starred.has(quote.key);
      const hidden = marks.hidden.has(quote.key);
      card.hidden = !shown.get(quote.id);
      card.classList.toggle("is-starred", starred);
      card.classList.toggle("is-hidden", hidden);
      card.querySelector(".star").setAttribute("aria-pressed", String(starred));
      card.querySelector(".star .icon").textContent = starred ? "★" : "☆";
      card.querySelector(".hide").setAttribute("aria-pressed", String(hidden));
    }
    for (const group of groups) group.hidden = !group.querySelector(".quote:not([hidden])");
    for (const area of areas) {
      const note = area.querySelector(".no-match");
      if (note) note.hidden = Boolean(area.querySelector(".quote:not([hidden])")) || !area.querySelector(".quote");
    }
    updateCounts();
    const visible = visibleIds().length;
    const parts = [`Showing ${visible} of ${plural(quotes.size, "quote")}`];
    if (marks.starred.size) parts.push(`${marks.starred.size} starred`);
    if (marks.hidden.size) parts.push(`${marks.hidden.size} hidden`);
    status.textContent = parts.join(" · ");
  };

  const csvCell = (value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const visibleCsv = () => {
    const rows = visibleIds().map((id) => quotes.get(id).row);
    return { count: rows.length, text: [data.columns, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n" };
  };

  const download = () => {
    const csv = visibleCsv();
    const url = URL.createObjectURL(new Blob([csv.text], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = data.csvFilename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status.textContent = `Downloaded ${plural(csv.count, "quote")} as CSV.`;
  };

  const copyWithSelection = (text) => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  };
  const copy = () => {
    const csv = visibleCsv();
    const done = () => { status.textContent = `Copied ${plural(csv.count, "quote")} as CSV.`; };
    const failed = () => { status.textContent = "Copying is not allowed here; use Download CSV."; };
    const fallback = () => (copyWithSelection(csv.text) ? done() : failed());
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(csv.text).then(done, fallback);
    } else {
      fallback();
    }
  };

  const toggle = (set, card) => {
    const key = quotes.get(card.dataset.quote).key;
    if (set.has(key)) set.delete(key);
    else set.add(key);
    save();
  };

  const visibleCards = () => cards.filter((card) => !card.hidden);
  const currentCard = () => (document.activeElement ? document.activeElement.closest(".quote[data-quote]") : null);
  const focusCard = (card) => { if (card) card.focus(); };
  const move = (step) => {
    const list = visibleCards();
    const at = list.indexOf(currentCard());
    focusCard(list[at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + step, 0), list.length - 1)]);
  };
  const afterChange = (card) => {
    const list = visibleCards();
    const at = list.indexOf(card);
    apply();
    if (card.hidden) focusCard(visibleCards().find((c) => list.indexOf(c) > at) || visibleCards().pop());
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".quote-actions button");
    if (!button) return;
    const card = button.closest(".quote");
    toggle(button.classList.contains("star") ? marks.starred : marks.hidden, card);
    afterChange(card);
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest("input, select, textarea, [contenteditable]")) {
      if (event.key === "Escape" && target === field("search")) target.blur();
      return;
    }
    const card = currentCard();
    const onCard = card && target === card;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "ArrowDown": if (!onCard) return; move(1); break;
      case "ArrowUp": if (!onCard) return; move(-1); break;
      case "/": field("search").focus(); break;
      case "?": shortcuts.open = !shortcuts.open; if (shortcuts.open) shortcuts.querySelector("summary").focus(); break;
      case "s": case "h":
        if (!card) return;
        toggle(event.key === "s" ? marks.starred : marks.hidden, card);
        afterChange(card);
        break;
      case "p": {
        const link = card && card.querySelector("a.timecode");
        if (!link) return;
        link.click();
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  fold.addEventListener("click", () => {
    const folded = tools.classList.toggle("folded");
    fold.setAttribute("aria-expanded", String(!folded));
    fold.textContent = folded ? "Show filters" : "Fold filters";
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply));
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("copy-csv").addEventListener("click", copy);
  document.getElementById("download-csv").addEventListener("click", download);
  window.addEventListener("storage", (event) => {
    if (event.key !== data.storageKey) return;
    const fresh = load();
    marks.starred = fresh.starred;
    marks.hidden = fresh.hidden;
    apply();
  });
  apply();
})();
