export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f1f1f}
.btn{display:flex;align-items:center;justify-content:center;gap:.5rem;margin:.5rem 0;padding:.7rem 1rem;
border-radius:4px;font-weight:500;text-decoration:none;border:1px solid #747775}
.btn-google{background:#fff;color:#1f1f1f}
.btn-naver{background:#03c75a;color:#fff;border-color:#03c75a}
.btn-kakao{background:#fee500;color:rgba(0,0,0,.85);border-color:#fee500}
.btn-apple{background:#000;color:#fff;border-color:#000}
.btn-github{background:#24292f;color:#fff;border-color:#24292f}
.btn-microsoft{background:#fff;color:#5e5e5e;border-color:#8c8c8c}
.btn-line{background:#06c755;color:#fff;border-color:#06c755}
.avatar{border-radius:50%}
dt{font-weight:600}dd{margin:0 0 .5rem}
button{padding:.5rem 1rem}
body{line-height:1.5;word-break:keep-all;overflow-wrap:anywhere}
.btn-go{background:#1a73e8;color:#fff;border-color:#1a73e8}
ul.plain{list-style:none;padding:0}
li.connection,li.api,li.session{border:1px solid #dadce0;border-radius:8px;padding:.6rem .8rem;margin:.5rem 0}
li.connection form{margin-top:.4rem}
.gone{color:#a50e0e}
table.returned{border-collapse:collapse;margin-top:.4rem;font-size:.85rem}
table.returned th{text-align:left;font-weight:500;color:#5f6368;padding:.1rem .8rem .1rem 0}
code{font-size:.8rem;word-break:break-all}`;

/** A page with no third-party resources, in `lang`. */
export function page(title: string, body: string, lang = 'en'): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}
