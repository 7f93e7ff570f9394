// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class DialState extends Schema {
    @type("float64") public frequency!: number;
    @type("float64") public velocity!: number;
    @type("boolean") public locked!: boolean;
    @type("float64") public predicted!: number;
    @type("float64") public movedAt!: number;
    @type("float64") public settlesAt!: number;
    @type("float64") public deceleration!: number;
    @type("float64") public maxSpeed!: number;
}
