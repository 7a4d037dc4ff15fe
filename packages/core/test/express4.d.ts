// Express 4, installed under an alias for the compatibility test; its API is typed like 5's here.
declare module 'express4' {
  import express from 'express';
  export default express;
}
