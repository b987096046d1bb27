;; The Hill powers of the network's right-hand side, P[i] = S[i]^e, for every species that is read by a
;; reaction. Source of src/network/powers-wasm.ts (run `node scripts/build-wasm.mjs` after editing;
;; test/network/powers.test.ts checks that the two agree). Why WebAssembly: xⁿ = exp(n·ln x) through
;; V8's Math.exp and Math.log (two C calls) was ~55 % of the network's rhs; here ln and exp are inline
;; table-driven polynomials on the raw bits of the double (reinterpret is one instruction in Wasm, an
;; aliasing store/load through typed arrays in JavaScript), about twice as fast.
;;
;; Memory (byte offsets), filled by src/network/powers.ts:
;;   0     128 × (1/c, ln c) for the centres c of the 1/128 subintervals of [√½, √2)
;;   2048  128 × 2^(j/128)
;; The caller passes the offsets of S, P (f64 per species), the reader list (i32) and the exponents (f64
;; per reader).
;;
;; ln x = k·ln2 + ln c + log1p(r), x = 2^k·z, z ∈ [√½, √2), r = z/c − 1, |r| ≤ 1/256 (+ rounding):
;;   log1p(r) − r by its Taylor series to r⁶ (truncation < 2e-18); k·ln2 split so that k·ln2_hi is exact.
;; e^y = 2^(m/128)·e^s, m = round(128·y/ln2), |s| ≤ ln2/256: e^s by its Taylor series to s⁵ (< 6e-19).
;; The layout follows the classic table-driven log and exp (as in musl libc), simplified to degree-6 and
;; degree-5 polynomials that need no fused multiply-add.
;; Result: relative error a few units in the last place of exp(e·ln x), as V8's exp(e·ln x).
;; x ≤ 0 or NaN gives 0 and subnormal x gives 0 (as the JavaScript form x > 0 ? … : 0, and x^e for
;; e ≥ 1 underflows there); e·ln x < −708 gives 0, > 709 gives ∞.
(module
  (memory (export "memory") 1)
  (func (export "pows") (param $s i32) (param $pp i32) (param $rd i32) (param $ex i32) (param $count i32)
    (local $k i32) (local $i i32) (local $res f64) (local $x f64) (local $e f64)
    (local $bits i64) (local $tmp i64) (local $kf f64) (local $ti i32) (local $z f64)
    (local $r f64) (local $r2 f64) (local $hi f64) (local $lo f64) (local $y f64)
    (local $kd f64) (local $ki i64) (local $p f64) (local $q f64)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
      (local.set $i (i32.shl (i32.load (i32.add (local.get $rd) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))
      (local.set $x (f64.load (i32.add (local.get $s) (local.get $i))))
      (local.set $e (f64.load (i32.add (local.get $ex) (i32.shl (local.get $k) (i32.const 3)))))
      (block $cont
        ;; x < 2^-1022 (zero, negative, subnormal) or NaN: 0; +∞: ∞
        (if (i32.eqz (f64.ge (local.get $x) (f64.const 0x1p-1022)))
          (then (local.set $res (f64.const 0)) (br $cont)))
        (if (f64.eq (local.get $x) (f64.const inf))
          (then (local.set $res (local.get $x)) (br $cont)))
        ;; ln x
        (local.set $bits (i64.reinterpret_f64 (local.get $x)))
        (local.set $tmp (i64.sub (local.get $bits) (i64.const 0x3FE6A09E667F3BCD)))
        (local.set $kf (f64.convert_i64_s (i64.shr_s (local.get $tmp) (i64.const 52))))
        (local.set $ti (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $tmp) (i64.const 45)) (i64.const 127))) (i32.const 4)))
        (local.set $z (f64.reinterpret_i64 (i64.sub (local.get $bits) (i64.and (local.get $tmp) (i64.const 0xFFF0000000000000)))))
        (local.set $r (f64.sub (f64.mul (local.get $z) (f64.load (local.get $ti))) (f64.const 1)))
        (local.set $r2 (f64.mul (local.get $r) (local.get $r)))
        (local.set $hi (f64.add (f64.mul (local.get $kf) (f64.const 0x1.62e42fefa3800p-1)) (f64.load offset=8 (local.get $ti))))
        (local.set $lo (f64.add (f64.mul (local.get $kf) (f64.const 0x1.ef35793c76730p-45))
          (f64.mul (local.get $r2)
            (f64.add
              (f64.add (f64.const -0.5) (f64.mul (local.get $r) (f64.const 0x1.5555555555555p-2)))
              (f64.mul (local.get $r2)
                (f64.add
                  (f64.add (f64.const -0.25) (f64.mul (local.get $r) (f64.const 0x1.999999999999ap-3)))
                  (f64.mul (local.get $r2) (f64.const -0x1.5555555555555p-3))))))))
        (local.set $y (f64.mul (local.get $e) (f64.add (local.get $hi) (f64.add (local.get $r) (local.get $lo)))))
        ;; e^y
        (if (f64.lt (local.get $y) (f64.const -708))
          (then (local.set $res (f64.const 0)) (br $cont)))
        (if (f64.gt (local.get $y) (f64.const 709))
          (then (local.set $res (f64.const inf)) (br $cont)))
        (local.set $kd (f64.sub (f64.add (f64.mul (local.get $y) (f64.const 0x1.71547652b82fep7)) (f64.const 0x1.8p52)) (f64.const 0x1.8p52)))
        (local.set $ki (i64.trunc_f64_s (local.get $kd)))
        (local.set $r (f64.add (f64.add (local.get $y) (f64.mul (local.get $kd) (f64.const -0x1.62e42fefa0000p-8)))
                               (f64.mul (local.get $kd) (f64.const -0x1.cf79abc9e3b3ap-47))))
        (local.set $r2 (f64.mul (local.get $r) (local.get $r)))
        (local.set $p (f64.add
          (f64.add (f64.const 1) (local.get $r))
          (f64.mul (local.get $r2)
            (f64.add
              (f64.add (f64.const 0.5) (f64.mul (local.get $r) (f64.const 0x1.5555555555555p-3)))
              (f64.mul (local.get $r2)
                (f64.add (f64.const 0x1.5555555555555p-5) (f64.mul (local.get $r) (f64.const 0x1.1111111111111p-7))))))))
        ;; 2^(m/128) = table[m mod 128] with m div 128 added to its exponent
        (local.set $q (f64.reinterpret_i64
          (i64.add
            (i64.load offset=2048 (i32.shl (i32.wrap_i64 (i64.and (local.get $ki) (i64.const 127))) (i32.const 3)))
            (i64.shl (i64.shr_s (local.get $ki) (i64.const 7)) (i64.const 52)))))
        (local.set $res (f64.mul (local.get $q) (local.get $p))))
      (f64.store (i32.add (local.get $pp) (local.get $i)) (local.get $res))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $next))))
)
