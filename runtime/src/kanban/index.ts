export { KanbanBoard, type KanbanView } from './kanban-board.js';
