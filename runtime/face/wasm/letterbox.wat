;; The bilinear resample + normalise step of ../image.ts `letterbox`, in WebAssembly SIMD so Node and the browser
;; run the same instructions (their scores must agree to 1e-3), at 3 ns per output pixel where the TypeScript loop
;; took 10-18 ns. The caller lays everything out in linear memory (see ./letterbox.ts and ../image.ts); this
;; module only reads pixels and writes floats. Rebuild with `npm run build:wasm` after editing.
(module
  (memory (export "memory") 1)

  ;; One output row band: rows 0..nh, columns 0..size, each plane `nh * size` floats starting at $out.
  ;; Per output row y: the top source row starts at $rows + ytop[y], the bottom one ynext[y] bytes later, and the
  ;; bottom one weighs wy[y]. Per output column x: the left pixel is xi[x] bytes into a row, its right neighbour
  ;; follows it, and the right one weighs wx[x]. Columns nw..size get the padding value of each plane.
  ;; $consts holds six v128: four byte swizzles (top-left, top-right, bottom-left, bottom-right pixel of an
  ;; 8+8-byte load, each spreading R G B into u32 lanes in the model's channel order), the means and 1/std, and
  ;; the padding values, all in model channel order.
  (func (export "letterbox")
    (param $rows i32) (param $ytop i32) (param $ynext i32) (param $wy i32) (param $nh i32)
    (param $xi i32) (param $wx i32) (param $nw i32)
    (param $consts i32) (param $out i32) (param $size i32)
    (local $mtl v128) (local $mtr v128) (local $mbl v128) (local $mbr v128)
    (local $mean v128) (local $inv v128) (local $pad v128)
    (local $wyv v128) (local $wxv v128) (local $px v128)
    (local $tl v128) (local $tr v128) (local $bl v128) (local $br v128) (local $v v128)
    (local $y i32) (local $x i32) (local $top i32) (local $bottom i32) (local $a i32)
    (local $plane i32) (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $end i32)
    (local.set $mtl (v128.load offset=0 (local.get $consts)))
    (local.set $mtr (v128.load offset=16 (local.get $consts)))
    (local.set $mbl (v128.load offset=32 (local.get $consts)))
    (local.set $mbr (v128.load offset=48 (local.get $consts)))
    (local.set $mean (v128.load offset=64 (local.get $consts)))
    (local.set $inv (v128.load offset=80 (local.get $consts)))
    (local.set $pad (v128.load offset=96 (local.get $consts)))
    (local.set $plane (i32.mul (i32.mul (local.get $nh) (local.get $size)) (i32.const 4)))
    (local.set $y (i32.const 0))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $y) (local.get $nh)))
        (local.set $top (i32.add (local.get $rows) (i32.load (i32.add (local.get $ytop) (i32.shl (local.get $y) (i32.const 2))))))
        (local.set $bottom (i32.add (local.get $top) (i32.load (i32.add (local.get $ynext) (i32.shl (local.get $y) (i32.const 2))))))
        (local.set $wyv (v128.load32_splat (i32.add (local.get $wy) (i32.shl (local.get $y) (i32.const 2)))))
        (local.set $o0 (i32.add (local.get $out) (i32.shl (i32.mul (local.get $y) (local.get $size)) (i32.const 2))))
        (local.set $o1 (i32.add (local.get $o0) (local.get $plane)))
        (local.set $o2 (i32.add (local.get $o1) (local.get $plane)))
        (local.set $x (i32.const 0))
        (local.set $end (i32.shl (local.get $nw) (i32.const 2)))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $a (i32.load (i32.add (local.get $xi) (local.get $x))))
            ;; bytes 0..5: top row's left and right pixels; bytes 8..13: the bottom row's.
            (local.set $px
              (v128.load64_lane 1 (i32.add (local.get $bottom) (local.get $a))
                (v128.load64_zero (i32.add (local.get $top) (local.get $a)))))
            (local.set $wxv (v128.load32_splat (i32.add (local.get $wx) (local.get $x))))
            (local.set $tl (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $px) (local.get $mtl))))
            (local.set $tr (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $px) (local.get $mtr))))
            (local.set $bl (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $px) (local.get $mbl))))
            (local.set $br (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $px) (local.get $mbr))))
            (local.set $tl (f32x4.add (local.get $tl) (f32x4.mul (f32x4.sub (local.get $tr) (local.get $tl)) (local.get $wxv))))
            (local.set $bl (f32x4.add (local.get $bl) (f32x4.mul (f32x4.sub (local.get $br) (local.get $bl)) (local.get $wxv))))
            (local.set $v
              (f32x4.mul
                (f32x4.sub
                  (f32x4.add (local.get $tl) (f32x4.mul (f32x4.sub (local.get $bl) (local.get $tl)) (local.get $wyv)))
                  (local.get $mean))
                (local.get $inv)))
            (f32.store (i32.add (local.get $o0) (local.get $x)) (f32x4.extract_lane 0 (local.get $v)))
            (f32.store (i32.add (local.get $o1) (local.get $x)) (f32x4.extract_lane 1 (local.get $v)))
            (f32.store (i32.add (local.get $o2) (local.get $x)) (f32x4.extract_lane 2 (local.get $v)))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $col)))
        (local.set $end (i32.shl (local.get $size) (i32.const 2)))
        (block $pad_done
          (loop $padding
            (br_if $pad_done (i32.ge_u (local.get $x) (local.get $end)))
            (f32.store (i32.add (local.get $o0) (local.get $x)) (f32x4.extract_lane 0 (local.get $pad)))
            (f32.store (i32.add (local.get $o1) (local.get $x)) (f32x4.extract_lane 1 (local.get $pad)))
            (f32.store (i32.add (local.get $o2) (local.get $x)) (f32x4.extract_lane 2 (local.get $pad)))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $padding)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row)))))
