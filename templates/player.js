/* Timecode links that carry data-media play the recording in the page's player from their
   moment; without this script they open the media file at that time (#t=). */
(() => {
  "use strict";
  const panel = document.getElementById("player");
  if (!panel) return;
  const audio = panel.querySelector("audio");
  const video = panel.querySelector("video");
  const now = panel.querySelector(".player-now");
  const message = panel.querySelector(".player-message");
  const rows = Array.from(document.querySelectorAll("tr[data-start]"));
  let media = audio;
  let playing = null;
  let source = null;

  /* The docked player must not cover what was just played: room below the page for it, and
     the quote (or transcript line) scrolled up above it when they overlap. */
  const makeRoom = () => {
    document.body.style.paddingBottom = panel.hidden ? "" : `${panel.offsetHeight + 32}px`;
  };
  const keepAbovePanel = () => {
    if (!source || panel.hidden) return;
    const box = source.getBoundingClientRect();
    const overlap = box.bottom - (panel.getBoundingClientRect().top - 12);
    if (overlap > 0 && box.top < window.innerHeight) window.scrollBy(0, Math.min(overlap, Math.max(box.top - 12, 0)));
  };

  const timecode = (seconds) => {
    const whole = Math.floor(seconds);
    const h = Math.floor(whole / 3600);
    const m = Math.floor((whole % 3600) / 60);
    const s = String(whole % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${String(m).padStart(2, "0")}:${s}`;
  };

  const start = (element, seconds) => {
    element.currentTime = seconds;
    const promise = element.play();
    if (promise) {
      promise.catch(() => { message.textContent = "Press play to start the recording."; });
    }
  };

  const play = (link) => {
    const src = link.getAttribute("data-media");
    const seconds = parseFloat(link.getAttribute("data-start")) || 0;
    const next = link.getAttribute("data-kind") === "video" ? video : audio;
    if (next !== media) {
      media.pause();
      media.hidden = true;
    }
    media = next;
    media.hidden = false;
    panel.hidden = false;
    source = link.closest(".quote, tr") || link;
    makeRoom();
    keepAbovePanel();
    message.textContent = "";
    now.textContent = `${link.getAttribute("data-title")} from ${timecode(seconds)}`;
    if (media.getAttribute("src") === src && media.readyState > 0) {
      start(media, seconds);
      return;
    }
    media.addEventListener("loadedmetadata", () => start(media, seconds), { once: true });
    media.setAttribute("src", src);
    media.load();
  };

  const markPlayingRow = () => {
    const t = media.currentTime;
    let current = null;
    for (const row of rows) {
      if (parseFloat(row.getAttribute("data-start")) <= t) current = row;
      else break;
    }
    if (current === playing) return;
    if (playing) playing.classList.remove("playing");
    if (current) current.classList.add("playing");
    playing = current;
  };

  for (const element of [audio, video]) {
    element.addEventListener("error", () => {
      message.textContent = `Recording not found at ${decodeURI(element.getAttribute("src"))} (relative to this page). ` +
        "Keep the report folder inside the study folder, where the recordings are, to play them.";
    });
    if (rows.length) element.addEventListener("timeupdate", markPlayingRow);
  }

  new ResizeObserver(() => {
    makeRoom();
    keepAbovePanel();
  }).observe(panel);

  panel.querySelector(".player-close").addEventListener("click", () => {
    media.pause();
    panel.hidden = true;
    source = null;
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-media]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    play(link);
  });
})();
