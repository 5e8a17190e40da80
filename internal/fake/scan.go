package fake

import (
	"sort"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// matchVersion runs every enabled rule over one version's storage body and
// keeps each (rule, text) pair once.
func (s *Server) matchVersion(body string) []match {
	seen := map[match]bool{}
	matches := []match{}
	for _, r := range s.rules {
		if !r.enabled {
			continue
		}
		for _, text := range r.pattern.FindAllString(body, -1) {
			m := match{rule: r.name, text: text}
			if !seen[m] {
				seen[m] = true
				matches = append(matches, m)
			}
		}
	}
	return matches
}

func (s *Server) scanContentLocked(c *content) {
	c.scan = &contentScan{rulesGen: s.rulesGen, matches: map[int][]match{}}
	for _, v := range c.versions {
		c.scan.matches[v.number] = s.matchVersion(v.body)
	}
}

func (s *Server) scanVersionLocked(c *content, v *version) {
	if c.scan == nil {
		c.scan = &contentScan{rulesGen: s.rulesGen, matches: map[int][]match{}}
	}
	c.scan.matches[v.number] = s.matchVersion(v.body)
}

func (s *Server) scanSpaceLocked(sp *space) {
	for _, c := range s.spaceContent(sp.key) {
		s.scanContentLocked(c)
	}
	sp.scanned = true
	sp.stale = false
	sp.rulesGen = s.rulesGen
}

// scannedVersions lists the versions the last scan covered, oldest first.
func (c *content) scannedVersions() []int {
	numbers := make([]int, 0, len(c.scan.matches))
	for n := range c.scan.matches {
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	return numbers
}

// latestMatches is the set of matches in the newest scanned version; a
// finding outside it is historical.
func (c *content) latestMatches() map[match]bool {
	numbers := c.scannedVersions()
	set := map[match]bool{}
	if len(numbers) == 0 {
		return set
	}
	for _, m := range c.scan.matches[numbers[len(numbers)-1]] {
		set[m] = true
	}
	return set
}

func (c *content) baseFinding(m match, sp *space) client.Finding {
	return client.Finding{
		RuleName:     m.rule,
		MatchText:    m.text,
		SpaceKey:     c.spaceKey,
		ContentID:    c.idString(),
		ContentTitle: c.title,
		ContentType:  c.contentType,
		Reviewed:     sp.reviewed[m.text] != "",
	}
}

// dedupFindings merges the matches of every scanned version into one finding
// per (rule, text), spanning the first to the last version that holds it.
func (c *content) dedupFindings(sp *space) []client.Finding {
	if c.scan == nil {
		return nil
	}
	index := map[match]int{}
	var findings []client.Finding
	for _, n := range c.scannedVersions() {
		for _, m := range c.scan.matches[n] {
			if i, ok := index[m]; ok {
				findings[i].LastVersion = n
				continue
			}
			f := c.baseFinding(m, sp)
			f.FirstVersion, f.LastVersion = n, n
			index[m] = len(findings)
			findings = append(findings, f)
		}
	}
	latest := c.latestMatches()
	for m, i := range index {
		findings[i].Historical = !latest[m]
	}
	sortFindings(findings)
	return findings
}

// versionFindings lists one version's matches as they are, without merging
// them with other versions.
func (c *content) versionFindings(sp *space, number int) []client.Finding {
	latest := c.latestMatches()
	var findings []client.Finding
	for _, m := range c.scan.matches[number] {
		f := c.baseFinding(m, sp)
		f.FirstVersion, f.LastVersion = number, number
		f.Historical = !latest[m]
		findings = append(findings, f)
	}
	sortFindings(findings)
	return findings
}

func sortFindings(findings []client.Finding) {
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if a.FirstVersion != b.FirstVersion {
			return a.FirstVersion < b.FirstVersion
		}
		if a.RuleName != b.RuleName {
			return a.RuleName < b.RuleName
		}
		return a.MatchText < b.MatchText
	})
}

// spaceFindings is the space's report: every content item's deduplicated
// findings in content id order.
func (s *Server) spaceFindings(sp *space) []client.Finding {
	findings := []client.Finding{}
	if !sp.scanned {
		return findings
	}
	for _, c := range s.spaceContent(sp.key) {
		findings = append(findings, c.dedupFindings(sp)...)
	}
	return findings
}

func (s *Server) spaceScanState(sp *space) (state string, upToDateContent, upToDateSettings bool) {
	if !sp.scanned {
		return client.ScanStateUnscanned, false, false
	}
	return client.ScanStateCompleted, !sp.stale, sp.rulesGen == s.rulesGen
}

func (s *Server) contentScanState(c *content) (state string, upToDateContent, upToDateSettings bool) {
	if c.scan == nil {
		return client.ScanStateUnscanned, false, false
	}
	_, latestScanned := c.scan.matches[c.latest().number]
	return client.ScanStateCompleted, latestScanned, c.scan.rulesGen == s.rulesGen
}
