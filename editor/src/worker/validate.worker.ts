/** The validation worker: comlink exposes the validator so big graphs never block the canvas. */
import { expose } from 'comlink';
import { createValidator } from './validate.ts';

expose(createValidator());
